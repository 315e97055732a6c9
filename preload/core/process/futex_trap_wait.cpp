#include "process/futex_trap_wait.h"

#include "base/raw_syscall.h"
#include "process/futex_trap_signals.h"

#include <signal.h>
#include <sys/syscall.h>

namespace contend::preload {

namespace {

// Signals the recording holds back: all but SIGSYS (our own traps, which the
// stack walker's sigprocmask makes) and the faults. The handler runs inside
// glibc's cancellable waits, where cancellation is asynchronous: a
// cancellation, or a handler that longjmps, must not abandon our code while
// it holds a lock entry's guard.
constexpr uint64_t kDeferred =
    ~(kSigsysBit | kUnblockableBits | (uint64_t{1} << (SIGSEGV - 1)) | (uint64_t{1} << (SIGBUS - 1)) |
      (uint64_t{1} << (SIGILL - 1)) | (uint64_t{1} << (SIGFPE - 1)) | (uint64_t{1} << (SIGTRAP - 1)));

}  // namespace

uint64_t defer_signals() {
  uint64_t deferred = kDeferred, before = 0;
  raw_syscall(SYS_rt_sigprocmask, SIG_BLOCK, reinterpret_cast<long>(&deferred),
              reinterpret_cast<long>(&before), sizeof(uint64_t));
  return before;
}

long wait_with_signals(uint64_t mask, long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
  raw_syscall(SYS_rt_sigprocmask, SIG_SETMASK, reinterpret_cast<long>(&mask), 0, sizeof(uint64_t));
  long rc = raw_syscall6(nr, a1, a2, a3, a4, a5, a6);
  defer_signals();
  return rc;
}

}  // namespace contend::preload
