#include "record_condvar.h"

#include "acquisition.h"
#include "real_functions.h"

#include <cerrno>

namespace contend::preload {

namespace {

constexpr auto kKind = format::WaitKind::kCondition;

template <typename Blocking>
int timed_wait(ThreadState& t, pthread_cond_t* c, pthread_mutex_t* m, Blocking&& blocking) {
  // Our hook scope is open across the whole wait; that is fine: a handler
  // that locks while we wait is forwarded, as it would be anywhere in a hook.
  uint64_t start = now_ticks();
  int rc = blocking();
  uint64_t end = now_ticks();
  if (rc != 0 && rc != ETIMEDOUT) return rc;  // EINVAL, EPERM: returned at once, not a wait
  ErrnoGuard errno_guard;
  record_wait(t, Wait{c, kKind, start, end, 0, m, rc == ETIMEDOUT ? format::kWaitTimedOut : uint8_t{0}});
  errno_guard.restore();
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
