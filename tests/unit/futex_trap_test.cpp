// The futex trap's pure parts: the seccomp filter it builds (run here by a
// small classic-BPF interpreter, the instructions the kernel accepts for
// seccomp), the search for `syscall` instructions, and the signal mask
// arithmetic of the rt_sigprocmask emulation.
#include "core/process/futex_trap_filter.h"
#include "core/process/futex_trap_signals.h"
#include "core/process/futex_trap_sites.h"

#include <gtest/gtest.h>
#include <linux/audit.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <random>

namespace contend::preload {
namespace {

constexpr uint16_t kTag = 0xC07D;
constexpr uint32_t kTrap = SECCOMP_RET_TRAP | kTag;

uint32_t run(const BpfProgram& p, const seccomp_data& d) {
  uint32_t a = 0;
  for (size_t pc = 0; pc < p.size();) {
    const sock_filter& f = p[pc];
    switch (f.code) {
      case BPF_LD | BPF_W | BPF_ABS: {
        EXPECT_LE(f.k + 4, sizeof d);
        std::memcpy(&a, reinterpret_cast<const char*>(&d) + f.k, 4);
        ++pc;
        break;
      }
      case BPF_ALU | BPF_AND | BPF_K:
        a &= f.k;
        ++pc;
        break;
      case BPF_JMP | BPF_JA: pc += 1 + f.k; break;
      case BPF_JMP | BPF_JEQ | BPF_K: pc += 1 + (a == f.k ? f.jt : f.jf); break;
      case BPF_JMP | BPF_JGE | BPF_K: pc += 1 + (a >= f.k ? f.jt : f.jf); break;
      case BPF_RET | BPF_K: return f.k;
      default: ADD_FAILURE() << "unexpected instruction " << f.code; return 0;
    }
  }
  ADD_FAILURE() << "ran off the end";
  return 0;
}

// What the kernel does with several filters: the lowest action wins.
uint32_t run_all(const std::vector<BpfProgram>& programs, const seccomp_data& d) {
  uint32_t result = SECCOMP_RET_ALLOW;
  for (const BpfProgram& p : programs) {
    uint32_t r = run(p, d);
    if ((r & SECCOMP_RET_ACTION_FULL) < (result & SECCOMP_RET_ACTION_FULL)) result = r;
  }
  return result;
}

seccomp_data call(int nr, uint64_t ip, uint64_t op = 0) {
  seccomp_data d{};
  d.nr = nr;
  d.arch = AUDIT_ARCH_X86_64;
  d.instruction_pointer = ip;
  d.args[1] = op;
  return d;
}

std::vector<uint64_t> spread_sites(size_t n, uint32_t seed) {
  // Two high halves (objects on both sides of a 4 GiB line), random gaps.
  std::mt19937_64 rng(seed);
  std::vector<uint64_t> sites;
  uint64_t at = 0x7f12ffff8000ull;
  for (size_t i = 0; i < n; ++i) {
    at += 2 + rng() % 700;
    sites.push_back(at);
  }
  return sites;
}

TEST(FutexTrapFilter, TrapsWaitsAndSignalCallsAtSitesOnly) {
  std::vector<uint64_t> sites = spread_sites(900, 1);
  ASSERT_NE(sites.front() >> 32, sites.back() >> 32);
  TrapFilterSpec spec{sites, 0, kTag};
  std::vector<BpfProgram> programs = build_trap_filters(spec);
  ASSERT_EQ(programs.size(), 1u);
  EXPECT_LE(programs[0].size(), 4096u);
  for (uint64_t s : sites) {
    for (int op : {FUTEX_WAIT, FUTEX_WAIT_PRIVATE, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, FUTEX_LOCK_PI,
                   13 /* LOCK_PI2 */, FUTEX_WAIT_REQUEUE_PI_PRIVATE})
      ASSERT_EQ(run_all(programs, call(SYS_futex, s, op)), kTrap) << std::hex << s << " op " << op;
    for (int op : {FUTEX_WAKE, FUTEX_WAKE_PRIVATE, FUTEX_CMP_REQUEUE, FUTEX_UNLOCK_PI, FUTEX_WAKE_OP})
      ASSERT_EQ(run_all(programs, call(SYS_futex, s, op)), SECCOMP_RET_ALLOW) << "op " << op;
    for (int nr : trapped_signal_calls()) ASSERT_EQ(run_all(programs, call(nr, s)), kTrap) << "nr " << nr;
    ASSERT_EQ(run_all(programs, call(449 /* futex_waitv */, s)), kTrap);
    ASSERT_EQ(run_all(programs, call(SYS_getpid, s)), SECCOMP_RET_ALLOW);
    ASSERT_EQ(run_all(programs, call(SYS_write, s)), SECCOMP_RET_ALLOW);
    // One byte off, or the same low half under another high half: not a site.
    for (uint64_t other : {s - 1, s + 1, s ^ (uint64_t{1} << 40)}) {
      if (std::binary_search(sites.begin(), sites.end(), other)) continue;
      ASSERT_EQ(run_all(programs, call(SYS_futex, other, FUTEX_WAIT)), SECCOMP_RET_ALLOW)
          << std::hex << other;
      ASSERT_EQ(run_all(programs, call(SYS_rt_sigprocmask, other)), SECCOMP_RET_ALLOW);
    }
  }
  // Another architecture's numbering (int 0x80 from 64-bit code) is left alone.
  seccomp_data i386 = call(SYS_futex, sites[0], FUTEX_WAIT);
  i386.arch = AUDIT_ARCH_I386;
  EXPECT_EQ(run_all(programs, i386), SECCOMP_RET_ALLOW);
}

TEST(FutexTrapFilter, PassthroughSiteLetsFutexWaitsGoButNotSignalCalls) {
  std::vector<uint64_t> sites = spread_sites(50, 2);
  uint64_t pass = sites[17];
  std::vector<BpfProgram> programs = build_trap_filters(TrapFilterSpec{sites, pass, kTag});
  ASSERT_FALSE(programs.empty());
  EXPECT_EQ(run_all(programs, call(SYS_futex, pass, FUTEX_WAIT_PRIVATE)), SECCOMP_RET_ALLOW);
  EXPECT_EQ(run_all(programs, call(SYS_rt_sigprocmask, pass)), kTrap);
  EXPECT_EQ(run_all(programs, call(SYS_futex, sites[16], FUTEX_WAIT_PRIVATE)), kTrap);
  // Same low half, another high half: still trapped when it is a site.
  EXPECT_EQ(run_all(programs, call(SYS_futex, pass ^ (uint64_t{1} << 33), FUTEX_WAIT)), SECCOMP_RET_ALLOW);
}

TEST(FutexTrapFilter, LongSiteListsAreSplitAcrossPrograms) {
  std::vector<uint64_t> sites = spread_sites(5000, 3);
  std::vector<BpfProgram> programs = build_trap_filters(TrapFilterSpec{sites, 0, kTag});
  ASSERT_GE(programs.size(), 2u);
  for (const BpfProgram& p : programs) EXPECT_LE(p.size(), 4096u);
  for (size_t i = 0; i < sites.size(); i += 7)
    ASSERT_EQ(run_all(programs, call(SYS_futex, sites[i], FUTEX_WAIT)), kTrap) << i;
  EXPECT_EQ(run_all(programs, call(SYS_futex, sites.back() + 1, FUTEX_WAIT)), SECCOMP_RET_ALLOW);
}

TEST(FutexTrapSites, FindsEveryZeroFFivePair) {
  const uint8_t code[] = {0x0f, 0x05, 0x90, 0x0f, 0x0f, 0x05, 0x05, 0x0f, 0x48, 0x0f, 0x05};
  std::vector<uint64_t> found;
  find_syscall_candidates(code, sizeof code, 0x1000, found);
  EXPECT_EQ(found, (std::vector<uint64_t>{0x1002, 0x1006, 0x100b}));
  found.clear();
  find_syscall_candidates(code, 1, 0x1000, found);  // half a pair
  EXPECT_TRUE(found.empty());
  const uint8_t tail[] = {0x90, 0x90, 0x0f};
  find_syscall_candidates(tail, sizeof tail, 0, found);
  EXPECT_TRUE(found.empty());
}

TEST(FutexTrapSites, ScanCoversLibcButNotTheGivenRanges) {
  // This test binary is position-independent; libc is loaded.
  uint64_t libc_syscall = syscall_function_site(reinterpret_cast<const void*>(&::syscall));
  ASSERT_NE(libc_syscall, 0u);
  SyscallSites all = scan_syscall_sites(TextRange{}, TextRange{});
  EXPECT_TRUE(std::binary_search(all.sites.begin(), all.sites.end(), libc_syscall));
  EXPECT_TRUE(std::is_sorted(all.sites.begin(), all.sites.end()));
  TextRange around{static_cast<uintptr_t>(libc_syscall - 8), static_cast<uintptr_t>(libc_syscall + 8)};
  SyscallSites without = scan_syscall_sites(around, TextRange{});
  EXPECT_FALSE(std::binary_search(without.sites.begin(), without.sites.end(), libc_syscall));
  EXPECT_EQ(without.objects + 1, all.objects);
}

TEST(FutexTrapSignals, MaskArithmeticAsTheKernel) {
  uint64_t out = 0;
  uint64_t usr1 = uint64_t{1} << (SIGUSR1 - 1);
  EXPECT_TRUE(apply_mask_change(SIG_BLOCK, usr1, kSigsysBit, &out));
  EXPECT_EQ(out, usr1 | kSigsysBit);
  EXPECT_TRUE(apply_mask_change(SIG_UNBLOCK, usr1 | kSigsysBit, kSigsysBit, &out));
  EXPECT_EQ(out, usr1);
  EXPECT_TRUE(apply_mask_change(SIG_SETMASK, usr1, ~uint64_t{0}, &out));
  EXPECT_EQ(out, ~uint64_t{0} & ~kUnblockableBits);  // SIGKILL and SIGSTOP never blocked
  EXPECT_FALSE(apply_mask_change(3, usr1, 0, &out));
}

}  // namespace
}  // namespace contend::preload
