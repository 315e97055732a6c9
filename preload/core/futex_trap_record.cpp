#include "futex_trap_record.h"

#include "acquisition.h"
#include "futex_trap_signals.h"
#include "raw_syscall.h"

#include <linux/futex.h>
#include <signal.h>
#include <sys/syscall.h>
#include <cerrno>

#ifndef FUTEX_LOCK_PI2
#define FUTEX_LOCK_PI2 13
#endif
#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif

namespace contend::preload {

namespace {

constexpr auto kKind = format::WaitKind::kFutex;

// Signals the recording holds back: all but SIGSYS (our own traps, which the
// stack walker's sigprocmask makes) and the faults. The handler runs inside
// glibc's cancellable waits, where cancellation is asynchronous: a
// cancellation, or a handler that longjmps, must not abandon our code while
// it holds a lock entry's guard.
constexpr uint64_t kDeferred =
    ~(kSigsysBit | kUnblockableBits | (uint64_t{1} << (SIGSEGV - 1)) | (uint64_t{1} << (SIGBUS - 1)) |
      (uint64_t{1} << (SIGILL - 1)) | (uint64_t{1} << (SIGFPE - 1)) | (uint64_t{1} << (SIGTRAP - 1)));

uint64_t defer_signals() {
  uint64_t deferred = kDeferred, before = 0;
  raw_syscall(SYS_rt_sigprocmask, SIG_BLOCK, reinterpret_cast<long>(&deferred),
              reinterpret_cast<long>(&before), sizeof(uint64_t));
  return before;
}

// The wait itself, under the program's mask: what would have interrupted it
// does. Out of line, so that a cancellation unwinding from inside it finds
// the caller at a call site, whose destructors then run.
[[gnu::noinline]] long wait_with_signals(uint64_t mask, long nr, long a1, long a2, long a3, long a4, long a5,
                                         long a6) {
  raw_syscall(SYS_rt_sigprocmask, SIG_SETMASK, reinterpret_cast<long>(&mask), 0, sizeof(uint64_t));
  long rc = raw_syscall6(nr, a1, a2, a3, a4, a5, a6);
  defer_signals();
  return rc;
}

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
  long cmd = a2 & FUTEX_CMD_MASK;
  uint32_t owner = 0;
  if (cmd == FUTEX_LOCK_PI || cmd == FUTEX_LOCK_PI2)
    owner = __atomic_load_n(static_cast<const uint32_t*>(word), __ATOMIC_RELAXED) & FUTEX_TID_MASK;
  WaitInProgress wait(t, word, kKind, owner);
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
