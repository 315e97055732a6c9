#include "record/record_futex.h"

#include "base/real_functions.h"
#include "record/acquisition.h"
#include "record/wait_algorithm.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <cerrno>

#ifndef FUTEX_LOCK_PI2
#define FUTEX_LOCK_PI2 13
#endif

namespace contend::preload {

namespace {

constexpr auto kKind = format::WaitKind::kFutex;

// A futex wait for the wait algorithm (wait_algorithm.h): no try, the call
// is the wait; failures in errno. The word is never read here, not even a
// PI futex's (which holds its owner's tid): syscall() may be given any
// address, and the kernel answers EFAULT for a bad one where a read of ours
// would crash the program.
struct FutexWaitOps {
  using Result = long;
  static constexpr bool kReportsErrno = true;
  static constexpr bool kCancellable = false;
  const void* word;

  const void* lock() const { return word; }
  static constexpr format::WaitKind kind() { return kKind; }
  static uint32_t owner() { return 0; }
  static const void* related() { return nullptr; }
  static WaitOutcome after_wait(long rc) {
    if (rc == 0) return WaitOutcome::kAcquired;
    if (errno == ETIMEDOUT) return WaitOutcome::kTimedOut;
    if (errno == EINTR) return WaitOutcome::kInterrupted;
    // EAGAIN: the word had already changed, no wait happened.
    return errno == EAGAIN ? WaitOutcome::kNoWaitBusy : WaitOutcome::kNoWait;
  }
};

}  // namespace

FutexOp classify_futex_op(long op) {
  switch (op & FUTEX_CMD_MASK) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET:
    case FUTEX_LOCK_PI:
    case FUTEX_LOCK_PI2:
    case FUTEX_WAIT_REQUEUE_PI: return FutexOp::kWait;
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET:
    case FUTEX_WAKE_OP:
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE:
    case FUTEX_CMP_REQUEUE_PI:
    case FUTEX_UNLOCK_PI: return FutexOp::kWake;
    default: return FutexOp::kOther;
  }
}

long futex_syscall(ThreadState& t, long a1, long a2, long a3, long a4, long a5, long a6) {
  FutexOp op = classify_futex_op(a2);
  const void* word = reinterpret_cast<const void*>(a1);
  if (op == FutexOp::kOther) return real().syscall(SYS_futex, a1, a2, a3, a4, a5, a6);
  if (op == FutexOp::kWake) {
    Release release(word);
    long rc = real().syscall(SYS_futex, a1, a2, a3, a4, a5, a6);
    ScopedErrno result_errno;
    if (rc >= 0) {
      count_wake(t, word, kKind);
      release.record(t, kKind);
    }
    return rc;
  }
  return wait_recorded(t, FutexWaitOps{word},
                       [=] { return real().syscall(SYS_futex, a1, a2, a3, a4, a5, a6); });
}

}  // namespace contend::preload
