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

// Not recording: boot (the process's very first call) and try once more,
// so that the first call is itself recorded; otherwise forward.
template <auto RealFn, auto RecordFn, typename... Args>
[[gnu::noinline]] auto hook_slow(uintptr_t caller, Args... args) {
  const RealFunctions& next = forward();
  HookScope scope;
  if (!scope) return (next.*RealFn)(args...);
  scope.thread()->caller_pc = caller;
  return RecordFn(*scope.thread(), args...);
}

// Always inlined into the interposer, so that the return address is the
// interposed function's caller: the call site of the lock operation.
template <auto RealFn, auto RecordFn, typename... Args>
[[gnu::always_inline]] inline auto hook(Args... args) {
  auto caller = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
  HookScope scope;
  if (!scope) [[unlikely]]
    return hook_slow<RealFn, RecordFn>(caller, args...);
  scope.thread()->caller_pc = caller;
  return RecordFn(*scope.thread(), args...);
}

}  // namespace contend::preload
