#include "record_condvar.h"

#include "acquisition.h"
#include "cancellable_wait.h"
#include "real_functions.h"

#include <cerrno>

namespace contend::preload {

namespace {

constexpr auto kKind = format::WaitKind::kCondition;

template <typename Blocking>
int timed_wait(ThreadState& t, pthread_cond_t* c, pthread_mutex_t* m, Blocking&& blocking) {
  // Waiting releases the mutex: a sampled hold of it ends here.
  end_hold(t, m);
  // Our hook scope is open across the whole wait; that is fine: a handler
  // that locks while we wait is forwarded, as it would be anywhere in a hook.
  WaitInProgress wait(t, c, kKind, 0, m);
  int rc = call_cancellable(wait, blocking);
  if (rc == 0) {
    wait.finish(0);
  } else if (rc == ETIMEDOUT) {
    wait.finish(format::kWaitTimedOut);
  } else {
    wait.abandon();  // EINVAL, EPERM: returned at once
  }
  return rc;
}

}  // namespace

int cond_wait(ThreadState& t, pthread_cond_t* c, pthread_mutex_t* m) {
  return timed_wait(t, c, m, [&] { return real().cond_wait(c, m); });
}

int cond_timedwait(ThreadState& t, pthread_cond_t* c, pthread_mutex_t* m, const timespec* abstime) {
  return timed_wait(t, c, m, [&] { return real().cond_timedwait(c, m, abstime); });
}

int cond_clockwait(ThreadState& t, pthread_cond_t* c, pthread_mutex_t* m, clockid_t clock,
                   const timespec* abstime) {
  return timed_wait(t, c, m, [&] { return real().cond_clockwait(c, m, clock, abstime); });
}

int cond_signal(ThreadState& t, pthread_cond_t* c) {
  int rc = real().cond_signal(c);
  count_wake(t, c, kKind);
  return rc;
}

int cond_broadcast(ThreadState& t, pthread_cond_t* c) {
  int rc = real().cond_broadcast(c);
  count_wake(t, c, kKind);
  return rc;
}

}  // namespace contend::preload
