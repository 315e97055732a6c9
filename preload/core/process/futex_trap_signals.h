// SIGSYS under the futex trap: never really blocked, always ours, and as the
// program sees it, exactly what it asked for.
//
// A trapped system call that finds SIGSYS blocked (or ignored) makes the
// kernel reset SIGSYS to its default action and kill the process
// (force_sig_info_to_task). Programs block every signal all the time
// (sigfillset + pthread_sigmask in worker threads, handlers with a full
// sa_mask, sigsuspend, glibc's own block-all windows in pthread_create,
// fork and posix_spawn). So every call that can block signals is trapped
// too (futex_trap_filter.h) and emulated here:
//  - rt_sigprocmask edits the mask sigreturn restores (uc_sigmask) and keeps
//    the program's SIGSYS bit aside, per thread;
//  - rt_sigaction strips SIGSYS from a handler's sa_mask (the stripped bit is
//    kept and shown back) and keeps the program's own SIGSYS action aside;
//  - sigsuspend, ppoll, pselect6, epoll_pwait(2) and io_pgetevents wait under
//    their temporary mask without SIGSYS.
// A SIGSYS that is not our trap (the program's own seccomp filter, kill())
// gets what the program's own action says: its handler, the default action
// (death by SIGSYS), nothing when ignored, pending while blocked.
#pragma once

#include <signal.h>
#include <ucontext.h>

#include <cstdint>
#include <string>

namespace contend::preload {

// si_code of a SIGSYS raised by a seccomp filter (SYS_SECCOMP; glibc's
// headers lack it).
inline constexpr int kSeccompSigsysCode = 1;
inline constexpr uint64_t kSigsysBit = uint64_t{1} << (SIGSYS - 1);
inline constexpr uint64_t kUnblockableBits = (uint64_t{1} << (SIGKILL - 1)) | (uint64_t{1} << (SIGSTOP - 1));

// struct sigaction as rt_sigaction takes it on x86-64.
struct KernelSigaction {
  uintptr_t handler;  // or kDefaultAction, kIgnoreAction
  unsigned long flags;
  uintptr_t restorer;
  uint64_t mask;
};
inline constexpr uintptr_t kDefaultAction = 0;  // SIG_DFL
inline constexpr uintptr_t kIgnoreAction = 1;   // SIG_IGN

// rt_sigprocmask's arithmetic: the mask after `how` with `set` applied to
// `old` (SIGKILL and SIGSTOP never blocked); false for an unknown `how`.
bool apply_mask_change(long how, uint64_t old_mask, uint64_t set, uint64_t* out);

// Installs `handler` for SIGSYS with the raw system call (so that no
// interposed sigaction, a sanitizer's say, wraps or defers it), keeps the
// program's action aside, strips SIGSYS from the sa_mask of installed
// handlers, and unblocks it in the calling thread. give_back_sigsys() undoes
// it all when the trap could not be installed after all.
bool take_over_sigsys(void (*handler)(int, siginfo_t*, void*), std::string* error);
void give_back_sigsys();

// The emulations, from the SIGSYS handler: each returns what the kernel
// would have (a result, or -errno).
long emulate_sigprocmask(ucontext_t* uc, long how, long set, long old_set, long size);
long emulate_sigaction(long sig, long act, long old_act, long size);
// rt_sigsuspend, ppoll, pselect6, epoll_pwait, epoll_pwait2, io_pgetevents:
// re-issued with SIGSYS out of their temporary mask. `regs`: the trapped
// call's registers.
long emulate_masked_wait(long nr, const greg_t* regs);

// A SIGSYS that is not our trap, as the program's own action would have it.
void deliver_program_sigsys(siginfo_t* info, ucontext_t* uc);

// The calling thread's SIGSYS as the program set it (tests).
bool program_blocks_sigsys();

// The process whose memory this is: set at start and in fork() children. A
// child that runs in its parent's memory (posix_spawn, vfork, system) must
// not change the parent's view (posix_spawn's child resets every handler
// before exec): its emulated calls answer, but keep nothing.
void set_memory_owner();
bool in_borrowed_memory();

}  // namespace contend::preload
