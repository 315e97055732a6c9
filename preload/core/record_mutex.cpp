#include "record_mutex.h"

#include "acquisition.h"
#include "lock_identity.h"
#include "real_functions.h"
#include "timeout_args.h"

#include <cerrno>

namespace contend::preload {

namespace {

constexpr auto kKind = format::WaitKind::kMutex;
constexpr int kNotRecoverable = 0x7ffffffe;  // glibc's PTHREAD_MUTEX_NOTRECOVERABLE (INT_MAX - 1)

// A robust mutex returns EOWNERDEAD with the lock acquired.
bool acquired(int rc) {
  return rc == 0 || rc == EOWNERDEAD;
}

// Trying first tells a contended acquisition from a free one without reading
// the clock: the uncontended path costs one counter update. `blocking` is the
// real lock, timed lock or clock lock, called only when the trylock fails.
template <typename Blocking>
int lock_with(ThreadState& t, pthread_mutex_t* m, Blocking&& blocking) {
  // glibc's trylock on a robust mutex that is no longer recoverable returns
  // ENOTRECOVERABLE but leaves the lock word set (its lock does not): a
  // probe would change what the caller's next call returns. Such a mutex
  // can only fail, so it goes straight to the real call.
  if (__atomic_load_n(&m->__data.__owner, __ATOMIC_RELAXED) == kNotRecoverable) return blocking();
  int rc = real().mutex_trylock(m);
  if (acquired(rc)) {
    count_acquisition(t, m, kKind);
    return rc;
  }
  // EINVAL, EAGAIN (recursion limit), ENOTRECOVERABLE, EDEADLK (a robust or
  // PI error-checking mutex already ours): what the real lock would say too.
  if (rc != EBUSY) return rc;
  WaitInProgress wait(t, m, kKind, mutex_owner(m));
  rc = blocking();
  if (acquired(rc)) {
    wait.finish(0);
  } else if (rc == ETIMEDOUT) {
    wait.finish(format::kWaitTimedOut);
  } else {
    wait.abandon();  // EDEADLK (an error-checking mutex we own), EINVAL: no wait
  }
  return rc;
}

}  // namespace

int mutex_lock(ThreadState& t, pthread_mutex_t* m) {
  return lock_with(t, m, [&] { return real().mutex_lock(m); });
}

int mutex_timedlock(ThreadState& t, pthread_mutex_t* m, const timespec* abstime) {
  if (!abstime_args_valid(CLOCK_REALTIME, abstime)) return real().mutex_timedlock(m, abstime);
  return lock_with(t, m, [&] { return real().mutex_timedlock(m, abstime); });
}

int mutex_clocklock(ThreadState& t, pthread_mutex_t* m, clockid_t clock, const timespec* abstime) {
  if (!abstime_args_valid(clock, abstime)) return real().mutex_clocklock(m, clock, abstime);
  return lock_with(t, m, [&] { return real().mutex_clocklock(m, clock, abstime); });
}

int mutex_trylock(ThreadState& t, pthread_mutex_t* m) {
  int rc = real().mutex_trylock(m);
  count_try(t, m, kKind, acquired(rc), rc == EBUSY);
  return rc;
}

int mutex_unlock(ThreadState& t, pthread_mutex_t* m) {
  // glibc marks a mutex with waiters: 2 in the lock word, or the futex
  // waiters bit for robust and priority-inheritance mutexes. Read before
  // unlocking (the line is ours); only then is a release worth accounting.
  auto word = static_cast<uint32_t>(__atomic_load_n(&m->__data.__lock, __ATOMIC_RELAXED));
  Release release(m, word == 2 || (word & 0x80000000u) != 0);
  int rc = real().mutex_unlock(m);
  if (rc != 0) return rc;
  end_hold(t, m);
  release.record(t, kKind);
  return rc;
}

int mutex_init(ThreadState& t, pthread_mutex_t* m, const pthread_mutexattr_t* attr) {
  int rc = real().mutex_init(m, attr);
  if (rc == 0) lock_initialized(t, m, kKind);
  return rc;
}

int mutex_destroy(ThreadState& t, pthread_mutex_t* m) {
  int rc = real().mutex_destroy(m);
  if (rc == 0) lock_destroyed(t, m);
  return rc;
}

}  // namespace contend::preload
