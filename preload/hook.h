// The one shape of every recording interposer:
//
//   extern "C" CONTEND_EXPORT int pthread_mutex_lock(pthread_mutex_t* m) noexcept {
//     return hook<&RealFunctions::mutex_lock, &mutex_lock>(m);
//   }
//
// forward() boots the library on the very first call; the scope decides
// whether this call records (see core/hook_scope.h) or goes straight to the
// real function.
#pragma once

#include "bootstrap.h"
#include "core/hook_scope.h"

#define CONTEND_EXPORT __attribute__((visibility("default")))

namespace contend::preload {

// Always inlined into the interposer, so that the return address is the
// interposed function's caller: the call site of the lock operation.
template <auto RealFn, auto RecordFn, typename... Args>
[[gnu::always_inline]] inline auto hook(Args... args) {
  const RealFunctions& next = forward();
  HookScope scope;
  if (!scope) return (next.*RealFn)(args...);
  scope.thread()->caller_pc = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
  return RecordFn(*scope.thread(), args...);
}

}  // namespace contend::preload
