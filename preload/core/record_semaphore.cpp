#include "record_semaphore.h"

#include "acquisition.h"
#include "cancellable_wait.h"
#include "real_functions.h"
#include "timeout_args.h"

#include <cerrno>

namespace contend::preload {

namespace {

constexpr auto kKind = format::WaitKind::kSemaphore;

template <typename Blocking>
int wait_with(ThreadState& t, sem_t* s, Blocking&& blocking) {
  ErrnoGuard caller_errno;
  if (real().sem_trywait(s) == 0) {
    count_acquisition(t, s, kKind);
    return 0;
  }
  if (errno != EAGAIN) {
    // EINVAL: not a semaphore; let the real call say so itself.
    caller_errno.restore();
    return blocking();
  }
  caller_errno.restore();  // the probe's EAGAIN is not the caller's
  WaitInProgress wait(t, s, kKind);
  int rc = call_cancellable(wait, blocking);
  if (rc == 0) {
    wait.finish(0);
  } else if (errno == ETIMEDOUT) {
    wait.finish(format::kWaitTimedOut);
  } else if (errno == EINTR) {
    wait.finish(format::kWaitInterrupted);  // it did wait, then a signal came
  } else {
    wait.abandon();
  }
  return rc;
}

}  // namespace

int sem_wait(ThreadState& t, sem_t* s) {
  return wait_with(t, s, [&] { return real().sem_wait(s); });
}

int sem_timedwait(ThreadState& t, sem_t* s, const timespec* abstime) {
  // glibc checks the timeout before trying: so must we.
  if (!abstime_args_valid(CLOCK_REALTIME, abstime)) return real().sem_timedwait(s, abstime);
  return wait_with(t, s, [&] { return real().sem_timedwait(s, abstime); });
}

int sem_clockwait(ThreadState& t, sem_t* s, clockid_t clock, const timespec* abstime) {
  if (!abstime_args_valid(clock, abstime)) return real().sem_clockwait(s, clock, abstime);
  return wait_with(t, s, [&] { return real().sem_clockwait(s, clock, abstime); });
}

int sem_trywait(ThreadState& t, sem_t* s) {
  ErrnoGuard caller_errno;
  int rc = real().sem_trywait(s);
  ErrnoGuard result_errno;
  count_try(t, s, kKind, rc == 0, rc != 0 && errno == EAGAIN);
  result_errno.restore();
  return rc;
}

int sem_post(ThreadState& t, sem_t* s) {
  Release release(s);  // the poster is who the waiters waited for
  int rc = real().sem_post(s);
  ErrnoGuard result_errno;
  if (rc == 0) {
    count_wake(t, s, kKind);
    release.record(t, kKind);
  }
  result_errno.restore();
  return rc;
}

}  // namespace contend::preload
