#include "record_mutex.h"

#include "lock_identity.h"
#include "timeout_args.h"

namespace contend::preload {

namespace {

constexpr auto kKind = format::WaitKind::kMutex;

// A robust mutex returns EOWNERDEAD with the lock acquired.
bool acquired(int rc) {
  return rc == 0 || rc == EOWNERDEAD;
}

// After a failed trylock (rc): `blocking` is the real lock, timed lock or
// clock lock.
template <typename Blocking>
int after_trylock(ThreadState& t, pthread_mutex_t* m, int rc, Blocking&& blocking) {
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

template <typename Blocking>
int lock_with(ThreadState& t, pthread_mutex_t* m, Blocking&& blocking) {
  if (__atomic_load_n(&m->__data.__owner, __ATOMIC_RELAXED) == kMutexNotRecoverable) return blocking();
  return after_trylock(t, m, real().mutex_trylock(m), blocking);
}

}  // namespace

int mutex_lock_slow(ThreadState& t, pthread_mutex_t* m, int trylock_rc) {
  if (trylock_rc == ENOTRECOVERABLE &&
      __atomic_load_n(&m->__data.__owner, __ATOMIC_RELAXED) == kMutexNotRecoverable)
    return real().mutex_lock(m);  // it can only fail; never probed
  return after_trylock(t, m, trylock_rc, [&] { return real().mutex_lock(m); });
}

int mutex_unlock_waited(ThreadState& t, pthread_mutex_t* m) {
  // Only the outermost unlock of a recursive mutex releases it (and ends
  // its hold); the depth is read while the mutex is still ours.
  bool outermost = mutex_depth(m) <= 1;
  Release release(m);  // before the unlock: the woken waiter is still registered
  int rc = real().mutex_unlock(m);
  if (rc != 0) return rc;
  if (outermost) end_hold(t, m);
  release.record(t, kKind);
  return rc;
}

int mutex_unlock_sampled(ThreadState& t, pthread_mutex_t* m) {
  bool outermost = mutex_depth(m) <= 1;
  int rc = real().mutex_unlock(m);
  if (rc == 0 && outermost) end_hold(t, m);
  return rc;
}

// glibc reads a mutex's timeout only when it has to wait: a free mutex is
// acquired whatever `abstime` points to (a bad pointer or tv_nsec included),
// so the timeout is left to the real call too. Only an unsupported clock is
// refused before anything else.
int mutex_timedlock(ThreadState& t, pthread_mutex_t* m, const timespec* abstime) {
  return lock_with(t, m, [&] { return real().mutex_timedlock(m, abstime); });
}

int mutex_clocklock(ThreadState& t, pthread_mutex_t* m, clockid_t clock, const timespec* abstime) {
  if (!clock_supported(clock)) return real().mutex_clocklock(m, clock, abstime);
  return lock_with(t, m, [&] { return real().mutex_clocklock(m, clock, abstime); });
}

int mutex_trylock(ThreadState& t, pthread_mutex_t* m) {
  int rc = real().mutex_trylock(m);
  count_try(t, m, kKind, acquired(rc), rc == EBUSY);
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
