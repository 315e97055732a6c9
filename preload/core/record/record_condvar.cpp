#include "record/record_condvar.h"

#include "base/real_functions.h"
#include "record/acquisition.h"
#include "record/wait_algorithm.h"

#include <cerrno>

namespace contend::preload {

namespace {

constexpr auto kKind = format::WaitKind::kCondition;

// A condition for the wait algorithm (wait_algorithm.h): no try, the call
// is the wait.
struct ConditionOps {
  using Result = int;
  static constexpr bool kReportsErrno = false;
  static constexpr bool kCancellable = true;
  pthread_cond_t* c;
  pthread_mutex_t* m;

  const void* lock() const { return c; }
  static constexpr format::WaitKind kind() { return kKind; }
  static uint32_t owner() { return 0; }
  const void* related() const { return m; }
  static WaitOutcome after_wait(int rc) {
    if (rc == 0) return WaitOutcome::kAcquired;
    return rc == ETIMEDOUT ? WaitOutcome::kTimedOut : WaitOutcome::kNoWait;  // EINVAL, EPERM: at once
  }
};

template <typename Blocking>
int timed_wait(ThreadState& t, pthread_cond_t* c, pthread_mutex_t* m, Blocking blocking) {
  // Waiting releases the mutex: a sampled hold of it ends here.
  end_hold(t, m);
  // Our hook scope is open across the whole wait; that is fine: a handler
  // that locks while we wait is forwarded, as it would be anywhere in a hook.
  return wait_recorded(t, ConditionOps{c, m}, blocking);
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
