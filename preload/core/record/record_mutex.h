// The recorder for pthread mutexes: forwards to the real functions and counts
// and times what happened. Every function returns exactly what the real one
// returned, and leaves errno as the real one left it.
//
// The uncontended lock and unlock are inline (they are most of all calls);
// waits, releases with waiters and rare cases are out of line.
#pragma once

#include "base/real_functions.h"
#include "record/acquisition.h"
#include "record/wait_algorithm.h"
#include "thread/thread_state.h"

#include <pthread.h>
#include <sys/single_threaded.h>
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

// A robust mutex returns EOWNERDEAD with the lock acquired.
inline bool mutex_acquired(int rc) {
  return rc == 0 || rc == EOWNERDEAD;
}

// A mutex for the wait algorithm (wait_algorithm.h).
struct MutexOps {
  using Result = int;
  static constexpr bool kReportsErrno = false;
  static constexpr bool kCancellable = false;
  pthread_mutex_t* m;

  const void* lock() const { return m; }
  static constexpr format::WaitKind kind() { return format::WaitKind::kMutex; }
  uint32_t owner() const { return mutex_owner(m); }
  static const void* related() { return nullptr; }
  int try_once() const { return real().mutex_trylock(m); }
  TryOutcome after_try(int rc) const {
    if (mutex_acquired(rc)) return TryOutcome::kAcquired;
    if (rc == EBUSY) return TryOutcome::kMustWait;
    // Not recoverable since the check before the try: the lock can only
    // fail, and says so itself.
    if (rc == ENOTRECOVERABLE &&
        __atomic_load_n(&m->__data.__owner, __ATOMIC_RELAXED) == kMutexNotRecoverable)
      return TryOutcome::kForward;
    // EINVAL, EAGAIN (recursion limit), EDEADLK (a robust or PI
    // error-checking mutex already ours): what the real lock would say.
    return TryOutcome::kReturn;
  }
  static WaitOutcome after_wait(int rc) {
    if (mutex_acquired(rc)) return WaitOutcome::kAcquired;
    // EDEADLK (an error-checking mutex we own), EINVAL: no wait.
    return rc == ETIMEDOUT ? WaitOutcome::kTimedOut : WaitOutcome::kNoWait;
  }
};

int mutex_unlock_waited(ThreadState& t, pthread_mutex_t* m);
// The thread has sampled holds running: this unlock may end one.
int mutex_unlock_sampled(ThreadState& t, pthread_mutex_t* m);

// Trying first tells a contended acquisition from a free one without
// reading the clock. glibc's trylock on a robust mutex that is no longer
// recoverable leaves the lock word set (its lock does not), so such a mutex
// is never probed: `blocking` (the real lock, timed lock or clock lock)
// answers. A free mutex is acquired whatever the blocking call's other
// arguments.
template <typename Blocking>
[[gnu::always_inline]] inline int mutex_lock_with(ThreadState& t, pthread_mutex_t* m, Blocking blocking) {
  if (__atomic_load_n(&m->__data.__owner, __ATOMIC_RELAXED) == kMutexNotRecoverable) [[unlikely]]
    return blocking();
  return try_then_wait(t, MutexOps{m}, blocking);
}

// glibc's own test for its cheaper lock: while the process has one thread,
// nobody else can hold a mutex glibc does not mark as shared (bit 128 of
// __kind: process-shared and robust mutexes), and glibc locks it without an
// atomic instruction. Trying
// first would add the atomic trylock, the costliest step of a profiled
// single-threaded pair, to tell apart a wait that cannot happen.
inline bool lock_cannot_wait(const pthread_mutex_t* m) {
  return __libc_single_threaded != 0 && (m->__data.__kind & 128) == 0;
}

// Single-threaded, a mutex of these kinds is acquired by the real lock,
// which cannot fail or wait: normal (with or without glibc's elision bits)
// and adaptive. (An error-checking mutex may answer EDEADLK, a recursive
// one EAGAIN; a mutex locked again by its only thread hangs either way.)
// Its acquisition is counted before the lock, so that the interposer
// reaches the real lock by a tail jump.
inline bool lock_cannot_fail_or_wait(const pthread_mutex_t* m) {
  unsigned kind = static_cast<unsigned>(m->__data.__kind) & ~(256u | 512u);
  return __libc_single_threaded != 0 && (kind == 0 || kind == 3);
}

// The acquisition of such a mutex, counted before the lock when it is the
// common case: the lock's slot at hand and no hold to start. Otherwise
// false, and nothing is counted.
inline bool count_sure_acquisition(ThreadState& t, uintptr_t caller, pthread_mutex_t* m) {
  LockSlot* slot = t.table.validated(LockTable::make_key(m, format::WaitKind::kMutex),
                                     g_generation_epoch.load(std::memory_order_relaxed));
  if (slot == nullptr || t.hold_countdown == 1) [[unlikely]]
    return false;
  --t.hold_countdown;
  bump(slot->counts.acquisitions);
  slot->last_site = caller;
  return true;
}

inline int mutex_lock(ThreadState& t, pthread_mutex_t* m) {
  if (lock_cannot_wait(m)) {
    int rc = real().mutex_lock(m);
    if (mutex_acquired(rc)) count_acquisition(t, m, format::WaitKind::kMutex);
    return rc;
  }
  return mutex_lock_with(t, m, [m] { return real().mutex_lock(m); });
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
