// Interposer for syscall(): futexes are recorded, everything else passes.
// All six argument registers are forwarded untouched, whatever the call:
// forwarding fewer makes programs that pass six (Rust's futex waits) spin.
#include "core/record/record_futex.h"
#include "core/record/walker_pipe.h"
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
  if (number != SYS_futex) {
    // The stack walker's pipe may be closed or replaced this way too
    // (hooks_descriptors.cpp).
    if (number == SYS_close || number == SYS_dup2 || number == SYS_dup3)
      contend::preload::note_descriptors_replaced(static_cast<unsigned>(number == SYS_close ? a1 : a2),
                                                  static_cast<unsigned>(number == SYS_close ? a1 : a2));
    else if (number == SYS_close_range)
      contend::preload::note_descriptors_replaced(static_cast<unsigned>(a1), static_cast<unsigned>(a2));
    return next.syscall(number, a1, a2, a3, a4, a5, a6);
  }
  HookScope scope;
  if (!scope ||
      contend::preload::called_from_unwinder(reinterpret_cast<uintptr_t>(__builtin_return_address(0))))
    return next.syscall(number, a1, a2, a3, a4, a5, a6);
  return contend::preload::futex_syscall(*scope.thread(), a1, a2, a3, a4, a5, a6);
}
