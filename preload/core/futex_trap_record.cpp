#include "futex_trap_record.h"

#include "acquisition.h"
#include "futex_trap_wait.h"

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
    if (wait_ != nullptr) wait_->abandon();
  }
  AbandonUnlessFinished(const AbandonUnlessFinished&) = delete;
  AbandonUnlessFinished& operator=(const AbandonUnlessFinished&) = delete;
  void release() { wait_ = nullptr; }

 private:
  WaitInProgress* wait_;
};

void finish(ThreadState& t, WaitInProgress& wait, const void* word, long rc) {
  if (rc >= 0) {
    wait.finish(0);
  } else if (rc == -ETIMEDOUT) {
    wait.finish(format::kWaitTimedOut);
  } else if (rc == -EINTR) {
    wait.finish(format::kWaitInterrupted);
  } else {
    wait.abandon();
    // The word had already changed: no wait, counted like a busy trylock
    // (as record_futex.cpp does for hooked futex calls).
    if (rc == -EAGAIN) count_trylock_failure(t, word, kKind);
  }
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
  finish(t, wait, word, rc);
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
  finish(t, wait, key, rc);
  return rc;
}

}  // namespace contend::preload
