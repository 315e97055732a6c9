// The one shape of every recording interposer:
//
//   extern "C" CONTEND_EXPORT int pthread_mutex_lock(pthread_mutex_t* m) noexcept {
//     return hook<&RealFunctions::mutex_lock, &mutex_lock>(m);
//   }
//
// forward() boots the library on the very first call; the scope decides
// whether this call records (see core/process/hook_scope.h) or goes straight to the
// real function, as does a call made by the stack walker's own code.
#pragma once

#include "bootstrap.h"
#include "core/process/hook_scope.h"
#include "core/record/unwinder.h"

#define CONTEND_EXPORT __attribute__((visibility("default")))

// Binds `name` under two symbol versions: glibc 2.34 gave many lock
// functions a new default version and kept the old one, so programs built
// against older glibc ask for `name@GLIBC_2.2.5` and newer ones for
// `name@GLIBC_2.34`; a hook that answered only one would silently miss the
// other. exports.map lists `name` under both version nodes.
#define CONTEND_VERSIONED(name, tag, old_version, default_version)                                         \
  extern "C" __typeof__(name) contend_##name##_##tag __attribute__((alias(#name), visibility("default"))); \
  __asm__(".symver contend_" #name "_" #tag ", " #name "@" old_version);                                   \
  __asm__(".symver " #name ", " #name "@@" default_version)

namespace contend::preload {

// Not recording: boot (the process's very first call) and try once more,
// so that the first call is itself recorded; otherwise forward.
template <auto RealFn, auto RecordFn, typename... Args>
[[gnu::noinline]] auto hook_slow(uintptr_t caller, Args... args) {
  const RealFunctions& next = forward();
  HookScope scope;
  if (!scope || called_from_unwinder(caller)) return (next.*RealFn)(args...);
  scope.thread()->caller_pc = caller;
  return RecordFn(*scope.thread(), args...);
}

// Always inlined into the interposer, so that the return address is the
// interposed function's caller: the call site of the lock operation.
template <auto RealFn, auto RecordFn, typename... Args>
[[gnu::always_inline]] inline auto hook(Args... args) {
  auto caller = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
  HookScope scope;
  ThreadState* t = scope.thread();
  if (t == nullptr) [[unlikely]]
    return hook_slow<RealFn, RecordFn>(caller, args...);
  if (called_from_unwinder(caller)) [[unlikely]]
    return (real().*RealFn)(args...);
  t->caller_pc = caller;
  return RecordFn(*t, args...);
}

// An unlock: when nobody waits (`quiet`, read from the lock word) and the
// thread times no sampled hold, nothing is recorded and the real function
// is reached by a tail jump, with no frame of ours; otherwise the hook, out
// of line, told the caller.
template <auto RealFn, auto RecordFn, typename... Args>
[[gnu::noinline]] auto hook_at(uintptr_t caller, Args... args) {
  HookScope scope;
  if (!scope) [[unlikely]]
    return hook_slow<RealFn, RecordFn>(caller, args...);
  if (called_from_unwinder(caller)) [[unlikely]]
    return (real().*RealFn)(args...);
  scope.thread()->caller_pc = caller;
  return RecordFn(*scope.thread(), args...);
}

// A lock that cannot fail or wait (`sure`) has its acquisition counted
// first (CountFn, inline: it returns false for anything but the common
// case, which the full hook then handles), and the real function is
// reached by a tail jump, with no frame of ours. The scope is opened by
// hand: nothing in between can be cancelled or throw.
template <auto RealFn, auto RecordFn, auto CountFn, typename... Args>
[[gnu::always_inline]] inline auto sure_lock_hook(bool sure, Args... args) {
  auto caller = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
  if (sure && g_recording.load(std::memory_order_relaxed)) [[likely]] {
    ThreadState* t = tls_thread;
    if (t != nullptr && t != kDetached && !t->in_hook && !called_from_unwinder(caller)) [[likely]] {
      t->in_hook = true;
      __atomic_signal_fence(__ATOMIC_SEQ_CST);
      bool counted = CountFn(*t, caller, args...);
      __atomic_signal_fence(__ATOMIC_SEQ_CST);
      t->in_hook = false;
      if (counted) [[likely]]
        return (real().*RealFn)(args...);
    }
  }
  return hook_at<RealFn, RecordFn>(caller, args...);
}

template <auto RealFn, auto RecordFn, typename... Args>
[[gnu::always_inline]] inline auto unlock_hook(bool quiet, Args... args) {
  if (quiet && no_sampled_hold_on_this_thread()) [[likely]]
    return (forward().*RealFn)(args...);
  return hook_at<RealFn, RecordFn>(reinterpret_cast<uintptr_t>(__builtin_return_address(0)), args...);
}

}  // namespace contend::preload
