// CONTEND_FUTEX=all: every blocking futex wait of the process is recorded,
// wherever its `syscall` instruction is: glibc's internal locks (malloc
// arenas, stdio, the loader), pthread_barrier_wait, libgomp (OpenMP), and
// any library that calls the kernel directly. docs/FUTEX_WAITS.md has the
// mechanism, its costs and its side effects.
//
// A seccomp filter (futex_trap_filter.h) traps futex waits made from the
// code of the objects loaded at start (futex_trap_sites.h); the SIGSYS
// handler re-issues each from our own code, records it as a hooked wait
// would be (futex_trap_record.h), and puts the kernel's result where the
// trapped instruction expects it. A wait inside one of our hooks (a
// contended pthread_mutex_lock ends in glibc's futex wait) is re-issued
// only: the hook records it. SIGSYS itself is kept usable at all times
// (futex_trap_signals.h).
#pragma once

namespace contend::preload {

// From the bootstrap, when the configuration asks for it.
void request_futex_trap();

// From the library's constructor, never from a hook (it walks the loaded
// objects and allocates). Refuses, with one warning, what it cannot do
// safely: address space randomization off, a thread that blocks SIGSYS
// already, no filter allowed. Returns whether the trap is on.
bool start_requested_futex_trap();

bool futex_trap_active();

}  // namespace contend::preload
