#include "process/futex_trap_record.h"

#include "process/futex_trap_wait.h"
#include "record/acquisition.h"

#include <linux/futex.h>
#include <signal.h>
#include <sys/syscall.h>
#include <cerrno>

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif

namespace contend::preload {

namespace {

constexpr auto kKind = format::WaitKind::kFutex;

// The thread is inside our code while it records and waits: a lock taken by
// a signal handler meanwhile is forwarded, as in a hook. Also undone when
// glibc's cancellation unwinds through the wait.
class InsideRecorder {
 public:
  explicit InsideRecorder(ThreadState& t) : t_(t) {
    t_.in_hook = true;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
  }
  ~InsideRecorder() {
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    t_.in_hook = false;
  }
  InsideRecorder(const InsideRecorder&) = delete;
  InsideRecorder& operator=(const InsideRecorder&) = delete;

 private:
  ThreadState& t_;
};

// A wait cancelled (pthread_cancel unwinding through it) is not recorded,
// and its waiter registration must not stay behind.
class AbandonUnlessFinished {
 public:
  explicit AbandonUnlessFinished(WaitInProgress& wait) : wait_(&wait) {}
  ~AbandonUnlessFinished() {
    if (wait_ != nullptr) wait_->finish(WaitOutcome::kNoWait);
  }
  AbandonUnlessFinished(const AbandonUnlessFinished&) = delete;
  AbandonUnlessFinished& operator=(const AbandonUnlessFinished&) = delete;
  void release() { wait_ = nullptr; }

 private:
  WaitInProgress* wait_;
};

// The raw system call's result (-errno on failure) as a wait outcome. A
// word that had already changed (EAGAIN) is no wait, counted like a busy
// trylock (as record_futex.cpp does for hooked futex calls).
WaitOutcome outcome_of(long rc) {
  if (rc >= 0) return WaitOutcome::kAcquired;
  if (rc == -ETIMEDOUT) return WaitOutcome::kTimedOut;
  if (rc == -EINTR) return WaitOutcome::kInterrupted;
  return rc == -EAGAIN ? WaitOutcome::kNoWaitBusy : WaitOutcome::kNoWait;
}

}  // namespace

long record_trapped_futex(ThreadState& t, uintptr_t pc, long a1, long a2, long a3, long a4, long a5,
                          long a6) {
  InsideRecorder inside(t);
  // The handler's sigreturn restores the program's mask afterwards.
  uint64_t mask = defer_signals();
  t.caller_pc = pc;
  const void* word = reinterpret_cast<const void*>(a1);
  // The owner of a PI futex is in its word, but the word is read only by
  // the kernel: an invalid address must fail with EFAULT, as without us.
  WaitInProgress wait(t, word, kKind);
  AbandonUnlessFinished cancelled(wait);
  long rc = wait_with_signals(mask, SYS_futex, a1, a2, a3, a4, a5, a6);
  cancelled.release();
  wait.finish(outcome_of(rc));
  return rc;
}

long record_trapped_futex_waitv(ThreadState& t, uintptr_t pc, long a1, long a2, long a3, long a4, long a5) {
  InsideRecorder inside(t);
  uint64_t mask = defer_signals();
  t.caller_pc = pc;
  const void* key = reinterpret_cast<const void*>(a1);
  WaitInProgress wait(t, key, kKind);
  AbandonUnlessFinished cancelled(wait);
  long rc = wait_with_signals(mask, SYS_futex_waitv, a1, a2, a3, a4, a5, 0);
  cancelled.release();
  wait.finish(outcome_of(rc));
  return rc;
}

}  // namespace contend::preload
