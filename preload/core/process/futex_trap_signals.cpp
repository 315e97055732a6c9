#include "process/futex_trap_signals.h"

#include "base/raw_syscall.h"

#include <sys/syscall.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <cstring>

#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif

// The return path of our handler: rt_sigreturn, with an unwind table entry
// marked as a signal frame that finds every register in the interrupted
// context (the ucontext at the stack pointer), as glibc's __restore_rt has:
// stack walkers (libunwind for our stacks, libgcc for glibc's cancellation,
// gdb) step through it into the code that made the trapped call. The entry
// starts at the nop because walkers look up the byte before a return address.
// Offsets: uc_mcontext is 40 bytes into the ucontext; DW_OP_breg7 is rsp.
__asm__(
    ".pushsection .text\n"
    ".balign 16\n"
    ".cfi_startproc simple\n"
    ".cfi_signal_frame\n"
    ".cfi_escape 0x0f, 0x04, 0x77, 0xa0, 0x01, 0x06\n"  // CFA = *(rsp + 160): the saved rsp
    ".cfi_escape 0x10, 0x08, 0x02, 0x77, 0x28\n"        // r8 at rsp + 40
    ".cfi_escape 0x10, 0x09, 0x02, 0x77, 0x30\n"        // r9 48
    ".cfi_escape 0x10, 0x0a, 0x02, 0x77, 0x38\n"        // r10 56
    ".cfi_escape 0x10, 0x0b, 0x03, 0x77, 0xc0, 0x00\n"  // r11 64
    ".cfi_escape 0x10, 0x0c, 0x03, 0x77, 0xc8, 0x00\n"  // r12 72
    ".cfi_escape 0x10, 0x0d, 0x03, 0x77, 0xd0, 0x00\n"  // r13 80
    ".cfi_escape 0x10, 0x0e, 0x03, 0x77, 0xd8, 0x00\n"  // r14 88
    ".cfi_escape 0x10, 0x0f, 0x03, 0x77, 0xe0, 0x00\n"  // r15 96
    ".cfi_escape 0x10, 0x05, 0x03, 0x77, 0xe8, 0x00\n"  // rdi 104
    ".cfi_escape 0x10, 0x04, 0x03, 0x77, 0xf0, 0x00\n"  // rsi 112
    ".cfi_escape 0x10, 0x06, 0x03, 0x77, 0xf8, 0x00\n"  // rbp 120
    ".cfi_escape 0x10, 0x03, 0x03, 0x77, 0x80, 0x01\n"  // rbx 128
    ".cfi_escape 0x10, 0x01, 0x03, 0x77, 0x88, 0x01\n"  // rdx 136
    ".cfi_escape 0x10, 0x00, 0x03, 0x77, 0x90, 0x01\n"  // rax 144
    ".cfi_escape 0x10, 0x02, 0x03, 0x77, 0x98, 0x01\n"  // rcx 152
    ".cfi_escape 0x10, 0x07, 0x03, 0x77, 0xa0, 0x01\n"  // rsp 160
    ".cfi_escape 0x10, 0x10, 0x03, 0x77, 0xa8, 0x01\n"  // rip 168
    "nop\n"
    ".globl contend_trap_restorer\n"
    ".hidden contend_trap_restorer\n"
    ".type contend_trap_restorer, @function\n"
    "contend_trap_restorer:\n"
    "movq $15, %rax\n"  // rt_sigreturn
    "syscall\n"
    ".size contend_trap_restorer, . - contend_trap_restorer\n"
    ".cfi_endproc\n"
    ".popsection\n");
extern "C" void contend_trap_restorer();

namespace contend::preload {

namespace {

constexpr long kSetSize = sizeof(uint64_t);
constexpr int kMaxSignal = 64;
// Flags the kernel keeps in a stored action (the others read back as 0).
constexpr unsigned long kKeptFlags = SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK | SA_RESTART |
                                     SA_NODEFER | SA_RESETHAND | SA_RESTORER | 0x800 /* SA_EXPOSE_TAGBITS */;

// Whether the program blocked SIGSYS, per thread (the real mask never has it).
__thread bool tls_sigsys_blocked __attribute__((tls_model("initial-exec"))) = false;

// The program's own SIGSYS action, double-buffered: written rarely (its
// sigaction calls), read by a handler that may interrupt the writer.
KernelSigaction g_actions[2];
std::atomic<int> g_action_index{0};
// Signals whose handler's sa_mask had SIGSYS (stripped, shown back).
std::atomic<uint64_t> g_masks_with_sigsys{0};
// A SIGSYS sent while the program blocked it, raised again when unblocked.
std::atomic<bool> g_pending{false};
void (*g_handler)(int, siginfo_t*, void*) = nullptr;
// The process whose memory this is (see in_borrowed_memory).
std::atomic<long> g_owner{0};
// What take_over_sigsys changed, for give_back_sigsys.
bool g_caller_had_it_blocked = false;

KernelSigaction program_action() {
  return g_actions[g_action_index.load(std::memory_order_acquire)];
}

void set_program_action(const KernelSigaction& a) {
  int next = 1 - g_action_index.load(std::memory_order_relaxed);
  g_actions[next] = a;
  g_action_index.store(next, std::memory_order_release);
}

long sigaction_raw(int sig, const KernelSigaction* act, KernelSigaction* old) {
  return raw_syscall(SYS_rt_sigaction, sig, reinterpret_cast<long>(act), reinterpret_cast<long>(old),
                     kSetSize);
}

long sigprocmask_raw(int how, const uint64_t* set, uint64_t* old) {
  return raw_syscall(SYS_rt_sigprocmask, how, reinterpret_cast<long>(set), reinterpret_cast<long>(old),
                     kSetSize);
}

// Ours, with the program's SA_RESTART: a kill()'d SIGSYS that interrupts a
// system call restarts it or not as the program's action would.
long install_ours(unsigned long program_flags) {
  KernelSigaction ours{reinterpret_cast<uintptr_t>(g_handler),
                       SA_SIGINFO | SA_NODEFER | SA_RESTORER | (program_flags & SA_RESTART),
                       reinterpret_cast<uintptr_t>(&contend_trap_restorer), 0};
  return sigaction_raw(SIGSYS, &ours, nullptr);
}

uint64_t& mask_of(ucontext_t* uc) {
  // The kernel's frame holds 64 signal bits where glibc's sigset_t starts.
  return *reinterpret_cast<uint64_t*>(&uc->uc_sigmask);
}

[[noreturn]] void die_of_sigsys() {
  KernelSigaction dfl{kDefaultAction, 0, 0, 0};
  sigaction_raw(SIGSYS, &dfl, nullptr);
  uint64_t sigsys = kSigsysBit;
  sigprocmask_raw(SIG_UNBLOCK, &sigsys, nullptr);
  raw_syscall(SYS_tgkill, raw_syscall(SYS_getpid), raw_syscall(SYS_gettid), SIGSYS);
  // Only a tracer that swallowed the signal gets here; the kernel would have
  // killed the process, and so does this.
  raw_syscall(SYS_exit_group, 128 + SIGSYS);
  __builtin_unreachable();
}

void raise_if_pending() {
  if (g_pending.exchange(false, std::memory_order_acq_rel))
    raw_syscall(SYS_tgkill, raw_syscall(SYS_getpid), raw_syscall(SYS_gettid), SIGSYS);
}

// Runs the program's SIGSYS handler as the kernel would have: its sa_mask
// (and SIGSYS, unless SA_NODEFER) blocked while it runs, the frame's mask
// in the program's terms, SA_RESETHAND honoured.
void call_program_handler(const KernelSigaction& act, siginfo_t* info, ucontext_t* uc) {
  if ((act.flags & SA_RESETHAND) != 0) {
    KernelSigaction reset = act;
    reset.handler = kDefaultAction;
    set_program_action(reset);
  }
  bool blocked_before = tls_sigsys_blocked;
  uint64_t& frame_mask = mask_of(uc);
  if (blocked_before) frame_mask |= kSigsysBit;
  uint64_t extra = act.mask & ~kSigsysBit, before = 0;
  sigprocmask_raw(SIG_BLOCK, &extra, &before);
  tls_sigsys_blocked = blocked_before || (act.flags & SA_NODEFER) == 0 || (act.mask & kSigsysBit) != 0;
  if ((act.flags & SA_SIGINFO) != 0) {
    reinterpret_cast<void (*)(int, siginfo_t*, void*)>(act.handler)(SIGSYS, info, uc);
  } else {
    reinterpret_cast<void (*)(int)>(act.handler)(SIGSYS);
  }
  sigprocmask_raw(SIG_SETMASK, &before, nullptr);
  // What the frame says now (the handler may have edited it) is the mask
  // after return.
  tls_sigsys_blocked = (frame_mask & kSigsysBit) != 0;
  frame_mask &= ~kSigsysBit;
}

// The program's SIGSYS bit for the duration of a wait under a temporary mask.
class TemporaryMask {
 public:
  explicit TemporaryMask(uint64_t mask) : saved_(tls_sigsys_blocked), keep_(!in_borrowed_memory()) {
    if (keep_) tls_sigsys_blocked = (mask & kSigsysBit) != 0;
  }
  ~TemporaryMask() {
    if (keep_) tls_sigsys_blocked = saved_;
  }
  TemporaryMask(const TemporaryMask&) = delete;
  TemporaryMask& operator=(const TemporaryMask&) = delete;

 private:
  bool saved_;
  bool keep_;
};

// A wait whose temporary mask is an argument (ppoll, epoll_pwait(2)).
long masked_wait_direct(long nr, const greg_t* r, int mask_arg) {
  long args[6] = {r[REG_RDI], r[REG_RSI], r[REG_RDX], r[REG_R10], r[REG_R8], r[REG_R9]};
  if (args[mask_arg] == 0 || args[mask_arg + 1] != kSetSize)
    return raw_syscall6(nr, args[0], args[1], args[2], args[3], args[4], args[5]);
  uint64_t mask;
  std::memcpy(&mask, reinterpret_cast<const void*>(args[mask_arg]), sizeof mask);
  uint64_t stripped = mask & ~kSigsysBit;
  args[mask_arg] = reinterpret_cast<long>(&stripped);
  TemporaryMask scope(mask);
  return raw_syscall6(nr, args[0], args[1], args[2], args[3], args[4], args[5]);
}

// A wait whose sixth argument points at {mask, size} (pselect6, io_pgetevents).
long masked_wait_indirect(long nr, const greg_t* r) {
  long args[6] = {r[REG_RDI], r[REG_RSI], r[REG_RDX], r[REG_R10], r[REG_R8], r[REG_R9]};
  struct MaskArg {
    const uint64_t* mask;
    size_t size;
  };
  MaskArg given{};
  if (args[5] != 0) std::memcpy(&given, reinterpret_cast<const void*>(args[5]), sizeof given);
  if (given.mask == nullptr || given.size != kSetSize)
    return raw_syscall6(nr, args[0], args[1], args[2], args[3], args[4], args[5]);
  uint64_t mask;
  std::memcpy(&mask, given.mask, sizeof mask);
  uint64_t stripped = mask & ~kSigsysBit;
  MaskArg ours{&stripped, kSetSize};
  args[5] = reinterpret_cast<long>(&ours);
  TemporaryMask scope(mask);
  return raw_syscall6(nr, args[0], args[1], args[2], args[3], args[4], args[5]);
}

}  // namespace

bool apply_mask_change(long how, uint64_t old_mask, uint64_t set, uint64_t* out) {
  switch (how) {
    case SIG_BLOCK: *out = old_mask | set; break;
    case SIG_UNBLOCK: *out = old_mask & ~set; break;
    case SIG_SETMASK: *out = set; break;
    default: return false;
  }
  *out &= ~kUnblockableBits;
  return true;
}

bool take_over_sigsys(void (*handler)(int, siginfo_t*, void*), std::string* error) {
  g_handler = handler;
  KernelSigaction previous{};
  if (sigaction_raw(SIGSYS, nullptr, &previous) != 0 || install_ours(previous.flags) != 0) {
    *error = "cannot install a SIGSYS handler";
    return false;
  }
  set_program_action(previous);
  uint64_t with_sigsys = 0;
  for (int sig = 1; sig <= kMaxSignal; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP || sig == SIGSYS) continue;
    KernelSigaction a{};
    if (sigaction_raw(sig, nullptr, &a) != 0 || (a.mask & kSigsysBit) == 0) continue;
    a.mask &= ~kSigsysBit;
    if (sigaction_raw(sig, &a, nullptr) == 0) with_sigsys |= uint64_t{1} << (sig - 1);
  }
  g_masks_with_sigsys.store(with_sigsys, std::memory_order_release);
  uint64_t current = 0, sigsys = kSigsysBit;
  sigprocmask_raw(SIG_BLOCK, nullptr, &current);
  g_caller_had_it_blocked = (current & kSigsysBit) != 0;
  tls_sigsys_blocked = g_caller_had_it_blocked;
  sigprocmask_raw(SIG_UNBLOCK, &sigsys, nullptr);
  return true;
}

void give_back_sigsys() {
  KernelSigaction previous = program_action();
  sigaction_raw(SIGSYS, &previous, nullptr);
  uint64_t with_sigsys = g_masks_with_sigsys.exchange(0, std::memory_order_acq_rel);
  for (int sig = 1; sig <= kMaxSignal; ++sig) {
    if ((with_sigsys & (uint64_t{1} << (sig - 1))) == 0) continue;
    KernelSigaction a{};
    if (sigaction_raw(sig, nullptr, &a) != 0) continue;
    a.mask |= kSigsysBit;
    sigaction_raw(sig, &a, nullptr);
  }
  if (g_caller_had_it_blocked) {
    uint64_t sigsys = kSigsysBit;
    sigprocmask_raw(SIG_BLOCK, &sigsys, nullptr);
  }
}

long emulate_sigprocmask(ucontext_t* uc, long how, long set, long old_set, long size) {
  if (size != kSetSize) return -EINVAL;
  uint64_t& real = mask_of(uc);
  uint64_t before = real | (tls_sigsys_blocked ? kSigsysBit : 0);
  if (set != 0) {
    uint64_t requested, after;
    std::memcpy(&requested, reinterpret_cast<const void*>(set), sizeof requested);
    if (!apply_mask_change(how, before, requested, &after)) return -EINVAL;
    real = after & ~kSigsysBit;  // in force when the handler returns
    if (!in_borrowed_memory()) {
      bool was_blocked = tls_sigsys_blocked;
      tls_sigsys_blocked = (after & kSigsysBit) != 0;
      if (was_blocked && !tls_sigsys_blocked) raise_if_pending();
    }
  }
  if (old_set != 0) std::memcpy(reinterpret_cast<void*>(old_set), &before, sizeof before);
  return 0;
}

long emulate_sigaction(long sig, long act, long old_act, long size) {
  if (size != kSetSize) return -EINVAL;
  if (sig == SIGSYS) {
    KernelSigaction previous = program_action();
    if (act != 0 && !in_borrowed_memory()) {
      KernelSigaction next;
      std::memcpy(&next, reinterpret_cast<const void*>(act), sizeof next);
      next.flags &= kKeptFlags;
      next.mask &= ~kUnblockableBits;
      set_program_action(next);
      install_ours(next.flags);
      if (next.handler == kIgnoreAction) g_pending.store(false, std::memory_order_release);  // discarded
    }
    if (old_act != 0) std::memcpy(reinterpret_cast<void*>(old_act), &previous, sizeof previous);
    return 0;
  }
  KernelSigaction stripped;
  bool wants_sigsys = false;
  if (act != 0) {
    std::memcpy(&stripped, reinterpret_cast<const void*>(act), sizeof stripped);
    wants_sigsys = (stripped.mask & kSigsysBit) != 0;
    stripped.mask &= ~kSigsysBit;
  }
  long rc =
      raw_syscall(SYS_rt_sigaction, sig, act != 0 ? reinterpret_cast<long>(&stripped) : 0, old_act, size);
  if (rc != 0) return rc;  // the kernel's answer: bad signal, bad pointer
  uint64_t bit = uint64_t{1} << (sig - 1);
  uint64_t table = act == 0       ? g_masks_with_sigsys.load(std::memory_order_acquire)
                   : wants_sigsys ? g_masks_with_sigsys.fetch_or(bit, std::memory_order_acq_rel)
                                  : g_masks_with_sigsys.fetch_and(~bit, std::memory_order_acq_rel);
  if (old_act != 0 && (table & bit) != 0) reinterpret_cast<KernelSigaction*>(old_act)->mask |= kSigsysBit;
  return 0;
}

long emulate_masked_wait(long nr, const greg_t* r) {
  switch (nr) {
    case SYS_rt_sigsuspend: {
      if (r[REG_RSI] != kSetSize) return -EINVAL;
      uint64_t mask;
      std::memcpy(&mask, reinterpret_cast<const void*>(r[REG_RDI]), sizeof mask);
      uint64_t stripped = mask & ~kSigsysBit;
      TemporaryMask scope(mask);
      return raw_syscall(SYS_rt_sigsuspend, reinterpret_cast<long>(&stripped), kSetSize);
    }
    case SYS_ppoll: return masked_wait_direct(nr, r, 3);
    case SYS_epoll_pwait:
    case 441 /* epoll_pwait2 */: return masked_wait_direct(nr, r, 4);
    case SYS_pselect6:
    case SYS_io_pgetevents: return masked_wait_indirect(nr, r);
    default: return raw_syscall6(nr, r[REG_RDI], r[REG_RSI], r[REG_RDX], r[REG_R10], r[REG_R8], r[REG_R9]);
  }
}

void deliver_program_sigsys(siginfo_t* info, ucontext_t* uc) {
  KernelSigaction act = program_action();
  if (info->si_code == kSeccompSigsysCode) {
    // The program's own filter trapped: blocked or ignored, the kernel
    // would have forced the default action.
    if (tls_sigsys_blocked || act.handler == kIgnoreAction || act.handler == kDefaultAction) die_of_sigsys();
  } else {
    if (tls_sigsys_blocked) {
      g_pending.store(true, std::memory_order_release);
      return;
    }
    if (act.handler == kIgnoreAction) return;
    if (act.handler == kDefaultAction) die_of_sigsys();
  }
  call_program_handler(act, info, uc);
}

bool program_blocks_sigsys() {
  return tls_sigsys_blocked;
}

void set_memory_owner() {
  g_owner.store(raw_syscall(SYS_getpid), std::memory_order_relaxed);
}

bool in_borrowed_memory() {
  return raw_syscall(SYS_getpid) != g_owner.load(std::memory_order_relaxed);
}

}  // namespace contend::preload
