// The recorder for futexes called through libc's syscall(): Rust's standard
// library, C++20 atomic waits, and hand-made locks. Waits are keyed by the
// futex word's address; wakes are counted.
#pragma once

#include "thread/thread_state.h"

namespace contend::preload {

// What a futex operation is, ignoring the PRIVATE and CLOCK_REALTIME bits.
enum class FutexOp { kWait, kWake, kOther };
FutexOp classify_futex_op(long op);

// Performs syscall(SYS_futex, a1..a6) through the real syscall() and records
// it. Returns what syscall() returned, errno as it left it.
long futex_syscall(ThreadState& t, long a1, long a2, long a3, long a4, long a5, long a6);

}  // namespace contend::preload
