// The trapped wait itself, re-issued from our code.
//
// In a file of its own on purpose: glibc cancels a thread waiting here
// asynchronously, by a forced unwind from inside this call. The caller's
// unwind table must hold an entry for the call so that its destructors run
// (the waiter leaves the lock). A caller compiled beside the definition
// learns that it cannot throw and carries no entry; the unwinder then finds
// none and terminates the program (noinline and noipa do not prevent it).
#pragma once

#include <cstdint>

namespace contend::preload {

// Holds back every signal but SIGSYS and the faults; returns the mask before.
uint64_t defer_signals();

// The call `nr` under the program's mask (`mask`, from defer_signals), so
// that what would have interrupted it does; signals held back again after.
long wait_with_signals(uint64_t mask, long nr, long a1, long a2, long a3, long a4, long a5, long a6);

}  // namespace contend::preload
