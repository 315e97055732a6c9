// A trapped futex wait, re-issued from our code and recorded through the
// same path as a hooked wait: kind `futex`, keyed by the futex word, with
// the stack of the code that waited (the signal frame is walked through).
#pragma once

#include "thread/thread_state.h"

#include <cstdint>

namespace contend::preload {

// Issues futex(a1..a6) and records the wait. `pc`: where the trapped call
// was made. Returns what the kernel returned (a result, or -errno).
long record_trapped_futex(ThreadState& t, uintptr_t pc, long a1, long a2, long a3, long a4, long a5, long a6);

// futex_waitv: keyed by the address of its array of waiters (reading the
// array before the kernel has checked it could fault).
long record_trapped_futex_waitv(ThreadState& t, uintptr_t pc, long a1, long a2, long a3, long a4, long a5);

}  // namespace contend::preload
