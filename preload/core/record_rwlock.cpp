#include "record_rwlock.h"

#include "acquisition.h"
#include "lock_identity.h"
#include "real_functions.h"
#include "timeout_args.h"

#include <cerrno>

namespace contend::preload {

namespace {

using format::WaitKind;

// The try failed with EBUSY: wait. Out of line, so that the WaitInProgress
// (and its cleanup) stays off the path of a lock that was free; `blocking`
// is taken by value (it holds its arguments by value too), so that nothing
// is put on the stack for it on that path.
template <typename Blocking>
[[gnu::noinline]] int wait_for(ThreadState& t, pthread_rwlock_t* l, WaitKind kind, Blocking blocking) {
  WaitInProgress wait(t, l, kind, rwlock_writer(l));
  int rc = blocking();
  if (rc == 0) {
    wait.finish(0);
  } else if (rc == ETIMEDOUT) {
    wait.finish(format::kWaitTimedOut);
  } else {
    wait.abandon();  // EDEADLK: the caller holds the write lock
  }
  return rc;
}

// As for mutexes: try first, and read the clock only when that fails.
template <typename Try, typename Blocking>
int acquire(ThreadState& t, pthread_rwlock_t* l, WaitKind kind, Try&& try_lock, Blocking blocking) {
  int rc = try_lock();
  if (rc == 0) [[likely]] {
    count_acquisition(t, l, kind);
    return rc;
  }
  if (rc != EBUSY) return rc;  // EAGAIN (too many readers), EINVAL
  return wait_for(t, l, kind, blocking);
}

int read_side(ThreadState& t, pthread_rwlock_t* l, auto blocking) {
  return acquire(
      t, l, WaitKind::kRwlockRead, [&] { return real().rwlock_tryrdlock(l); }, blocking);
}

int write_side(ThreadState& t, pthread_rwlock_t* l, auto blocking) {
  return acquire(
      t, l, WaitKind::kRwlockWrite, [&] { return real().rwlock_trywrlock(l); }, blocking);
}

}  // namespace

int rwlock_rdlock(ThreadState& t, pthread_rwlock_t* l) {
  return read_side(t, l, [=] { return real().rwlock_rdlock(l); });
}

int rwlock_wrlock(ThreadState& t, pthread_rwlock_t* l) {
  return write_side(t, l, [=] { return real().rwlock_wrlock(l); });
}

int rwlock_timedrdlock(ThreadState& t, pthread_rwlock_t* l, const timespec* abstime) {
  if (!abstime_args_valid(CLOCK_REALTIME, abstime)) return real().rwlock_timedrdlock(l, abstime);
  return read_side(t, l, [=] { return real().rwlock_timedrdlock(l, abstime); });
}

int rwlock_timedwrlock(ThreadState& t, pthread_rwlock_t* l, const timespec* abstime) {
  if (!abstime_args_valid(CLOCK_REALTIME, abstime)) return real().rwlock_timedwrlock(l, abstime);
  return write_side(t, l, [=] { return real().rwlock_timedwrlock(l, abstime); });
}

int rwlock_clockrdlock(ThreadState& t, pthread_rwlock_t* l, clockid_t clock, const timespec* abstime) {
  if (!abstime_args_valid(clock, abstime)) return real().rwlock_clockrdlock(l, clock, abstime);
  return read_side(t, l, [=] { return real().rwlock_clockrdlock(l, clock, abstime); });
}

int rwlock_clockwrlock(ThreadState& t, pthread_rwlock_t* l, clockid_t clock, const timespec* abstime) {
  if (!abstime_args_valid(clock, abstime)) return real().rwlock_clockwrlock(l, clock, abstime);
  return write_side(t, l, [=] { return real().rwlock_clockwrlock(l, clock, abstime); });
}

int rwlock_tryrdlock(ThreadState& t, pthread_rwlock_t* l) {
  int rc = real().rwlock_tryrdlock(l);
  count_try(t, l, WaitKind::kRwlockRead, rc == 0, rc == EBUSY);
  return rc;
}

int rwlock_trywrlock(ThreadState& t, pthread_rwlock_t* l) {
  int rc = real().rwlock_trywrlock(l);
  count_try(t, l, WaitKind::kRwlockWrite, rc == 0, rc == EBUSY);
  return rc;
}

int rwlock_unlock(ThreadState& t, pthread_rwlock_t* l) {
  if (!rwlock_may_have_waiters(l)) {
    int rc = real().rwlock_unlock(l);
    if (rc == 0) end_hold(t, l);
    return rc;
  }
  Release release(l);
  int rc = real().rwlock_unlock(l);
  if (rc != 0) return rc;
  end_hold(t, l);
  release.record(t, WaitKind::kRwlockWrite);
  return rc;
}

int rwlock_init(ThreadState& t, pthread_rwlock_t* l, const pthread_rwlockattr_t* attr) {
  int rc = real().rwlock_init(l, attr);
  if (rc == 0) lock_initialized(t, l, WaitKind::kRwlockRead);
  return rc;
}

int rwlock_destroy(ThreadState& t, pthread_rwlock_t* l) {
  int rc = real().rwlock_destroy(l);
  if (rc == 0) lock_destroyed(t, l);
  return rc;
}

}  // namespace contend::preload
