#include "process/futex_trap_filter.h"

#include "base/raw_syscall.h"

#include <linux/audit.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <cerrno>
#include <cstddef>

#ifndef FUTEX_LOCK_PI2
#define FUTEX_LOCK_PI2 13
#endif
#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif
#ifndef SYS_epoll_pwait2
#define SYS_epoll_pwait2 441
#endif
#ifndef SECCOMP_FILTER_FLAG_SPEC_ALLOW
#define SECCOMP_FILTER_FLAG_SPEC_ALLOW (1UL << 2)
#endif

namespace contend::preload {

namespace {

constexpr std::array<int, 8> kSignalCalls = {SYS_rt_sigprocmask, SYS_rt_sigaction, SYS_rt_sigsuspend,
                                             SYS_ppoll,          SYS_pselect6,     SYS_epoll_pwait,
                                             SYS_epoll_pwait2,   SYS_io_pgetevents};

constexpr uint32_t kArch = offsetof(seccomp_data, arch);
constexpr uint32_t kNr = offsetof(seccomp_data, nr);
constexpr uint32_t kOp = offsetof(seccomp_data, args[1]);  // low half on x86-64
constexpr uint32_t kIpLow = offsetof(seccomp_data, instruction_pointer);
constexpr uint32_t kIpHigh = kIpLow + 4;
constexpr uint32_t kLeafSites = 8;  // sites compared one by one at the bottom of the search

// A classic-BPF assembler with forward labels. Conditional jumps reach 255
// instructions: the layout below keeps them short, and far targets go
// through an unconditional jump.
class Assembler {
 public:
  using Label = uint32_t;

  Label label() {
    targets_.push_back(kUnbound);
    return static_cast<Label>(targets_.size() - 1);
  }
  void bind(Label l) { targets_[l] = static_cast<uint32_t>(code_.size()); }
  void stmt(uint16_t code, uint32_t k) { code_.push_back(sock_filter{code, 0, 0, k}); }
  void jump(uint16_t op, uint32_t k, Label yes, Label no) {
    fixups_.push_back(Fixup{static_cast<uint32_t>(code_.size()), yes, no, false});
    code_.push_back(sock_filter{static_cast<uint16_t>(BPF_JMP | op | BPF_K), 0, 0, k});
  }
  void always(Label to) {
    fixups_.push_back(Fixup{static_cast<uint32_t>(code_.size()), to, to, true});
    code_.push_back(sock_filter{BPF_JMP | BPF_JA, 0, 0, 0});
  }
  // The program, or empty when a label is unbound or a conditional jump
  // is too far (a bug of the layout, caught by the unit tests).
  BpfProgram finish() {
    for (const Fixup& f : fixups_) {
      uint32_t from = f.at + 1;
      uint32_t yes = targets_[f.yes], no = targets_[f.no];
      if (yes == kUnbound || no == kUnbound || yes < from || no < from) return {};
      if (f.unconditional) {
        code_[f.at].k = yes - from;
      } else {
        if (yes - from > 255 || no - from > 255) return {};
        code_[f.at].jt = static_cast<uint8_t>(yes - from);
        code_[f.at].jf = static_cast<uint8_t>(no - from);
      }
    }
    return code_;
  }

 private:
  static constexpr uint32_t kUnbound = UINT32_MAX;
  struct Fixup {
    uint32_t at;
    Label yes, no;
    bool unconditional;
  };
  BpfProgram code_;
  std::vector<uint32_t> targets_;
  std::vector<Fixup> fixups_;
};

// Binary search over the low halves of sites that share a high half.
void emit_search(Assembler& a, std::span<const uint64_t> sites, uint32_t trap) {
  if (sites.size() <= kLeafSites) {
    Assembler::Label hit = a.label(), miss = a.label();
    for (size_t i = 0; i < sites.size(); ++i) {
      Assembler::Label next = a.label();
      a.jump(BPF_JEQ, static_cast<uint32_t>(sites[i]), hit, next);
      a.bind(next);
    }
    a.bind(miss);
    a.stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    a.bind(hit);
    a.stmt(BPF_RET | BPF_K, trap);
    return;
  }
  size_t mid = sites.size() / 2;
  Assembler::Label left = a.label(), far = a.label(), right = a.label();
  a.jump(BPF_JGE, static_cast<uint32_t>(sites[mid]), far, left);
  a.bind(far);
  a.always(right);
  a.bind(left);
  emit_search(a, sites.first(mid), trap);
  a.bind(right);
  emit_search(a, sites.subspan(mid), trap);
}

BpfProgram build_one(std::span<const uint64_t> sites, uint64_t passthrough, uint32_t trap) {
  Assembler a;
  Assembler::Label allow = a.label(), native = a.label(), futex = a.label(), check_ip = a.label();
  a.stmt(BPF_LD | BPF_W | BPF_ABS, kArch);
  a.jump(BPF_JEQ, AUDIT_ARCH_X86_64, native, allow);
  a.bind(native);
  a.stmt(BPF_LD | BPF_W | BPF_ABS, kNr);
  Assembler::Label not_futex = a.label();
  a.jump(BPF_JEQ, SYS_futex, futex, not_futex);
  a.bind(not_futex);
  for (int nr : kSignalCalls) {
    Assembler::Label next = a.label();
    a.jump(BPF_JEQ, static_cast<uint32_t>(nr), check_ip, next);
    a.bind(next);
  }
  {
    Assembler::Label next = a.label();
    a.jump(BPF_JEQ, SYS_futex_waitv, check_ip, next);
    a.bind(next);
  }
  a.bind(allow);
  a.stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);

  // futex: waits only.
  a.bind(futex);
  a.stmt(BPF_LD | BPF_W | BPF_ABS, kOp);
  a.stmt(BPF_ALU | BPF_AND | BPF_K, FUTEX_CMD_MASK);
  Assembler::Label wait = a.label();
  for (uint32_t cmd : {FUTEX_WAIT, FUTEX_WAIT_BITSET, FUTEX_LOCK_PI, FUTEX_LOCK_PI2, FUTEX_WAIT_REQUEUE_PI}) {
    Assembler::Label next = a.label();
    a.jump(BPF_JEQ, cmd, wait, next);
    a.bind(next);
  }
  a.stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  a.bind(wait);
  if (passthrough != 0) {
    Assembler::Label high_same = a.label(), pass = a.label();
    a.stmt(BPF_LD | BPF_W | BPF_ABS, kIpHigh);
    a.jump(BPF_JEQ, static_cast<uint32_t>(passthrough >> 32), high_same, check_ip);
    a.bind(high_same);
    a.stmt(BPF_LD | BPF_W | BPF_ABS, kIpLow);
    a.jump(BPF_JEQ, static_cast<uint32_t>(passthrough), pass, check_ip);
    a.bind(pass);
    a.stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  }

  // The instruction pointer: its high half picks a group, the low half is
  // searched within it.
  a.bind(check_ip);
  a.stmt(BPF_LD | BPF_W | BPF_ABS, kIpHigh);
  std::vector<std::pair<std::span<const uint64_t>, Assembler::Label>> groups;
  for (size_t i = 0; i < sites.size();) {
    size_t j = i;
    while (j < sites.size() && (sites[j] >> 32) == (sites[i] >> 32)) ++j;
    Assembler::Label hit = a.label(), next = a.label(), group = a.label();
    a.jump(BPF_JEQ, static_cast<uint32_t>(sites[i] >> 32), hit, next);
    a.bind(hit);
    a.always(group);
    a.bind(next);
    groups.emplace_back(sites.subspan(i, j - i), group);
    i = j;
  }
  a.stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  for (auto& [group_sites, group] : groups) {
    a.bind(group);
    a.stmt(BPF_LD | BPF_W | BPF_ABS, kIpLow);
    emit_search(a, group_sites, trap);
  }
  return a.finish();
}

}  // namespace

std::span<const int> trapped_signal_calls() {
  return kSignalCalls;
}

std::vector<BpfProgram> build_trap_filters(const TrapFilterSpec& spec) {
  // About 1.5 instructions per site: 2000 sites stay well under BPF_MAXINSNS.
  constexpr size_t kSitesPerProgram = 2000;
  uint32_t trap = SECCOMP_RET_TRAP | spec.tag;
  std::vector<BpfProgram> programs;
  size_t i = 0;
  do {
    size_t n = std::min(kSitesPerProgram, spec.sites.size() - i);
    BpfProgram p = build_one(spec.sites.subspan(i, n), spec.futex_passthrough, trap);
    if (p.empty() || p.size() > BPF_MAXINSNS) return {};
    programs.push_back(std::move(p));
    i += n;
  } while (i < spec.sites.size());
  return programs;
}

long install_trap_filters(const std::vector<BpfProgram>& programs, bool* set_no_new_privs,
                          size_t* installed) {
  *set_no_new_privs = false;
  *installed = 0;
  unsigned long flags = SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_SPEC_ALLOW;
  for (const BpfProgram& program : programs) {
    sock_fprog prog{static_cast<unsigned short>(program.size()), const_cast<sock_filter*>(program.data())};
    auto install = [&] {
      return raw_syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, static_cast<long>(flags),
                         reinterpret_cast<long>(&prog));
    };
    long rc = install();
    if (rc == -EACCES && !*set_no_new_privs) {
      // No CAP_SYS_ADMIN: the kernel accepts a filter only under
      // no_new_privs (inherited by every child; setuid exec gains nothing).
      rc = raw_syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0);
      if (rc != 0) return rc;
      *set_no_new_privs = true;
      rc = install();
    }
    if (rc != 0) return rc;
    ++*installed;
  }
  return 0;
}

}  // namespace contend::preload
