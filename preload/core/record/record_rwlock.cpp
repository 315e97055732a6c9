#include "record/record_rwlock.h"

#include "base/real_functions.h"
#include "record/acquisition.h"
#include "record/lock_identity.h"
#include "record/timeout_args.h"
#include "record/wait_algorithm.h"

#include <cerrno>

namespace contend::preload {

namespace {

using format::WaitKind;

// One side of an rwlock for the wait algorithm (wait_algorithm.h).
struct RwlockOps {
  using Result = int;
  static constexpr bool kReportsErrno = false;
  static constexpr bool kCancellable = false;
  pthread_rwlock_t* l;
  WaitKind side;  // kRwlockRead or kRwlockWrite

  const void* lock() const { return l; }
  WaitKind kind() const { return side; }
  uint32_t owner() const { return rwlock_writer(l); }
  static const void* related() { return nullptr; }
  int try_once() const {
    return side == WaitKind::kRwlockRead ? real().rwlock_tryrdlock(l) : real().rwlock_trywrlock(l);
  }
  static TryOutcome after_try(int rc) {
    if (rc == 0) return TryOutcome::kAcquired;
    return rc == EBUSY ? TryOutcome::kMustWait : TryOutcome::kReturn;  // EAGAIN (too many readers), EINVAL
  }
  static WaitOutcome after_wait(int rc) {
    if (rc == 0) return WaitOutcome::kAcquired;
    // EDEADLK: the caller holds the write lock.
    return rc == ETIMEDOUT ? WaitOutcome::kTimedOut : WaitOutcome::kNoWait;
  }
};

int read_side(ThreadState& t, pthread_rwlock_t* l, auto blocking) {
  return try_then_wait(t, RwlockOps{l, WaitKind::kRwlockRead}, blocking);
}

int write_side(ThreadState& t, pthread_rwlock_t* l, auto blocking) {
  return try_then_wait(t, RwlockOps{l, WaitKind::kRwlockWrite}, blocking);
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
  return try_recorded(t, RwlockOps{l, WaitKind::kRwlockRead});
}

int rwlock_trywrlock(ThreadState& t, pthread_rwlock_t* l) {
  return try_recorded(t, RwlockOps{l, WaitKind::kRwlockWrite});
}

int rwlock_unlock(ThreadState& t, pthread_rwlock_t* l) {
  if (!rwlock_may_have_waiters(l)) {
    int rc = real().rwlock_unlock(l);
    if (rc == 0) end_hold(t, l);
    return rc;
  }
  // The side this unlock releases, read before the unlock clears it: glibc
  // keeps the writer's tid in the lock; a reader's release is charged to
  // where it took the read lock, not to its last write acquisition.
  WaitKind side =
      static_cast<uint32_t>(l->__data.__cur_writer) == t.tid ? WaitKind::kRwlockWrite : WaitKind::kRwlockRead;
  Release release(l);
  int rc = real().rwlock_unlock(l);
  if (rc != 0) return rc;
  end_hold(t, l);
  release.record(t, side);
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
