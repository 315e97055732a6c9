// Interposer for syscall(): futexes are recorded, everything else passes.
// All six argument registers are forwarded untouched, whatever the call:
// forwarding fewer makes programs that pass six (Rust's futex waits) spin.
#include "core/record/record_futex.h"
#include "hook.h"

#include <sys/syscall.h>
#include <cstdarg>

using contend::preload::forward;
using contend::preload::HookScope;

extern "C" CONTEND_EXPORT long syscall(long number, ...) noexcept {
  va_list ap;
  va_start(ap, number);
  long a1 = va_arg(ap, long);
  long a2 = va_arg(ap, long);
  long a3 = va_arg(ap, long);
  long a4 = va_arg(ap, long);
  long a5 = va_arg(ap, long);
  long a6 = va_arg(ap, long);
  va_end(ap);
  const auto& next = forward();
  if (number != SYS_futex) return next.syscall(number, a1, a2, a3, a4, a5, a6);
  HookScope scope;
  if (!scope ||
      contend::preload::called_from_unwinder(reinterpret_cast<uintptr_t>(__builtin_return_address(0))))
    return next.syscall(number, a1, a2, a3, a4, a5, a6);
  return contend::preload::futex_syscall(*scope.thread(), a1, a2, a3, a4, a5, a6);
}
