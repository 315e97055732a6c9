// Getting from "loaded" to "recording": resolving the real functions and
// starting the session, once, at whichever comes first of our constructor
// and the first interposed call.
#pragma once

#include "core/base/real_functions.h"

#include <atomic>

namespace contend::preload {

enum BootState : int { kBootNone = 0, kBootResolving = 1, kBootResolved = 2, kBootDone = 3 };
inline std::atomic<int> g_boot_state{kBootNone};

// The slow path of forward(): boots, or, while booting is under way (dlsym
// itself may lock), answers with libc's internal entry points.
const RealFunctions& boot_slow();

// What every hook forwards to when it does not record. Every hook calls it
// before deciding whether to record, so that the first call of the process
// boots the session and is itself recorded.
inline const RealFunctions& forward() {
  if (g_boot_state.load(std::memory_order_acquire) != kBootDone) [[unlikely]]
    return boot_slow();
  return real();
}

// Loads the stack walker (libunwind, privately; see core/record/unwinder.h). From
// the library's constructor, never from a hook: the first hook call may come
// from inside an allocator or the loader, where dlopen could deadlock.
void load_stack_walker();

}  // namespace contend::preload
