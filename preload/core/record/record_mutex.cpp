#include "record/record_mutex.h"

#include "record/lock_identity.h"
#include "record/timeout_args.h"

namespace contend::preload {

namespace {

constexpr auto kKind = MutexOps::kind();

}  // namespace

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
  return mutex_lock_with(t, m, [m, abstime] { return real().mutex_timedlock(m, abstime); });
}

int mutex_clocklock(ThreadState& t, pthread_mutex_t* m, clockid_t clock, const timespec* abstime) {
  if (!clock_supported(clock)) return real().mutex_clocklock(m, clock, abstime);
  return mutex_lock_with(t, m, [m, clock, abstime] { return real().mutex_clocklock(m, clock, abstime); });
}

int mutex_trylock(ThreadState& t, pthread_mutex_t* m) {
  return try_recorded(t, MutexOps{m});
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
