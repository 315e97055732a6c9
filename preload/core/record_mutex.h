// The recorder for pthread mutexes: forwards to the real functions and counts
// and times what happened. Every function returns exactly what the real one
// returned, and leaves errno as the real one left it.
//
// The uncontended lock and unlock are inline (they are most of all calls);
// waits, releases with waiters and rare cases are out of line.
#pragma once

#include "acquisition.h"
#include "real_functions.h"
#include "thread_state.h"

#include <pthread.h>
#include <time.h>
#include <cerrno>

namespace contend::preload {

// glibc's PTHREAD_MUTEX_NOTRECOVERABLE (INT_MAX - 1), kept in __owner.
inline constexpr int kMutexNotRecoverable = 0x7ffffffe;

// glibc keeps the holder's tid in every mutex it locks; 0 when free or for
// kinds that do not track it.
inline uint32_t mutex_owner(const pthread_mutex_t* m) {
  return static_cast<uint32_t>(__atomic_load_n(&m->__data.__owner, __ATOMIC_RELAXED)) & 0x3fffffffu;
}

// The lock word says someone waits: 2, or the futex waiters bit for robust
// and priority-inheritance mutexes.
inline bool mutex_has_waiters(const pthread_mutex_t* m) {
  auto word = static_cast<uint32_t>(__atomic_load_n(&m->__data.__lock, __ATOMIC_RELAXED));
  return word == 2 || (word & 0x80000000u) != 0;
}

// Out of line: the trylock failed (rc), or the mutex is not recoverable.
int mutex_lock_slow(ThreadState& t, pthread_mutex_t* m, int trylock_rc);
int mutex_unlock_waited(ThreadState& t, pthread_mutex_t* m);
// The thread has sampled holds running: this unlock may end one.
int mutex_unlock_sampled(ThreadState& t, pthread_mutex_t* m);

inline int mutex_lock(ThreadState& t, pthread_mutex_t* m) {
  // Trying first tells a contended acquisition from a free one without
  // reading the clock. glibc's trylock on a robust mutex that is no longer
  // recoverable leaves the lock word set (its lock does not), so such a
  // mutex is never probed.
  if (__atomic_load_n(&m->__data.__owner, __ATOMIC_RELAXED) == kMutexNotRecoverable) [[unlikely]]
    return mutex_lock_slow(t, m, ENOTRECOVERABLE);
  int rc = real().mutex_trylock(m);
  if (rc != 0) [[unlikely]]
    return mutex_lock_slow(t, m, rc);
  count_acquisition(t, m, format::WaitKind::kMutex);
  return 0;
}

inline int mutex_unlock(ThreadState& t, pthread_mutex_t* m) {
  // Read before unlocking (the line is ours): only a release others wait
  // for is worth accounting.
  if (mutex_has_waiters(m)) [[unlikely]]
    return mutex_unlock_waited(t, m);
  if (t.held_count != 0) [[unlikely]]
    return mutex_unlock_sampled(t, m);
  return real().mutex_unlock(m);
}

int mutex_trylock(ThreadState& t, pthread_mutex_t* m);
int mutex_timedlock(ThreadState& t, pthread_mutex_t* m, const timespec* abstime);
int mutex_clocklock(ThreadState& t, pthread_mutex_t* m, clockid_t clock, const timespec* abstime);
int mutex_init(ThreadState& t, pthread_mutex_t* m, const pthread_mutexattr_t* attr);
int mutex_destroy(ThreadState& t, pthread_mutex_t* m);

}  // namespace contend::preload
