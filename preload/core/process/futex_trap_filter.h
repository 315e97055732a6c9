// The seccomp filter of the futex trap: which system calls raise SIGSYS.
//
// Trapped, when made from one of the sites (futex_trap_sites.h):
//  - futex waits (WAIT, WAIT_BITSET, LOCK_PI, LOCK_PI2, WAIT_REQUEUE_PI) and
//    futex_waitv: the waits to record;
//  - every call that can block signals (rt_sigprocmask, rt_sigaction and the
//    calls that wait under a temporary mask): the kernel kills a process
//    whose trapped call finds SIGSYS blocked, so the handler emulates these
//    and keeps SIGSYS unblocked (futex_trap_signals.h).
// Everything else, and every call from anywhere else, is allowed.
#pragma once

#include <linux/filter.h>

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace contend::preload {

// The system calls the filter looks at besides futex.
std::span<const int> trapped_signal_calls();

struct TrapFilterSpec {
  std::span<const uint64_t> sites;  // sorted: the address after each trapped `syscall`
  uint64_t futex_passthrough = 0;   // a site whose futex calls are never trapped (0: none)
  uint16_t tag = 0;                 // SECCOMP_RET_DATA of the trap: the handler's si_errno
};

using BpfProgram = std::vector<sock_filter>;

// The filter, as one or more programs of at most BPF_MAXINSNS instructions
// each (a long site list is split; the kernel runs them all, and any one
// that traps wins over the others' allow).
std::vector<BpfProgram> build_trap_filters(const TrapFilterSpec& spec);

// Installs the programs on every thread of the process (TSYNC), allowing
// speculative store bypass as before (no mitigation forced on the program).
// Without CAP_SYS_ADMIN the kernel wants no_new_privs: set then, and only
// then (`*set_no_new_privs` says so). Returns 0 or -errno (a positive value:
// the id of a thread whose own filter forbids the synchronization);
// `*installed` counts the programs in place, which no one can remove.
long install_trap_filters(const std::vector<BpfProgram>& programs, bool* set_no_new_privs, size_t* installed);

}  // namespace contend::preload
