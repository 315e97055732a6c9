#include "process/futex_trap.h"

#include "base/raw_syscall.h"
#include "base/real_functions.h"
#include "base/recorder_settings.h"
#include "base/warn.h"
#include "process/futex_trap_filter.h"
#include "process/futex_trap_record.h"
#include "process/futex_trap_signals.h"
#include "process/futex_trap_sites.h"
#include "process/session.h"
#include "record/unwinder.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif

namespace contend::preload {

namespace {

// SECCOMP_RET_DATA of our trap, seen as si_errno: tells our traps from the
// program's own filter's.
constexpr uint16_t kTrapTag = 0xC07D;
constexpr uint32_t kMaxRecordFree = 16;

bool g_requested = false;
std::atomic<bool> g_active{false};
TextRange g_record_free[kMaxRecordFree];
uint32_t g_record_free_count = 0;

// The thread to record this wait for, or nullptr: not recording, a thread
// of ours or not attached (attaching is no work for a signal handler),
// inside one of our hooks (which records the wait itself), or a wait inside
// a sanitizer's runtime.
ThreadState* recording_thread(uintptr_t pc) {
  if (!g_recording.load(std::memory_order_relaxed)) return nullptr;
  ThreadState* t = tls_thread;
  if (t == nullptr || t == kDetached || t->in_hook) return nullptr;
  for (uint32_t i = 0; i < g_record_free_count; ++i)
    if (g_record_free[i].contains(pc)) return nullptr;
  // A thread's first stack walk allocates (core/record/unwinder.h): not here,
  // where the wait may be inside glibc's malloc.
  if (!stack_walker_warm()) return nullptr;
  // A posix_spawn or vfork child runs on its parent's thread state.
  if (in_borrowed_memory()) return nullptr;
  return t;
}

long reissue(long nr, const greg_t* r) {
  return raw_syscall6(nr, r[REG_RDI], r[REG_RSI], r[REG_RDX], r[REG_R10], r[REG_R8], r[REG_R9]);
}

long handle_trap(long nr, ucontext_t* uc) {
  greg_t* r = uc->uc_mcontext.gregs;
  switch (nr) {
    case SYS_futex: {
      // rip is just after the trapped `syscall`: a return address, as in
      // every other frame of the stack.
      auto pc = static_cast<uintptr_t>(r[REG_RIP]);
      ThreadState* t = recording_thread(pc);
      if (t == nullptr) return reissue(nr, r);
      return record_trapped_futex(*t, pc, r[REG_RDI], r[REG_RSI], r[REG_RDX], r[REG_R10], r[REG_R8],
                                  r[REG_R9]);
    }
    case SYS_futex_waitv: {
      auto pc = static_cast<uintptr_t>(r[REG_RIP]);
      ThreadState* t = recording_thread(pc);
      if (t == nullptr) return reissue(nr, r);
      return record_trapped_futex_waitv(*t, pc, r[REG_RDI], r[REG_RSI], r[REG_RDX], r[REG_R10], r[REG_R8]);
    }
    case SYS_rt_sigprocmask: return emulate_sigprocmask(uc, r[REG_RDI], r[REG_RSI], r[REG_RDX], r[REG_R10]);
    case SYS_rt_sigaction: return emulate_sigaction(r[REG_RDI], r[REG_RSI], r[REG_RDX], r[REG_R10]);
    default: return emulate_masked_wait(nr, r);
  }
}

// SA_NODEFER and an empty sa_mask: a trap inside the handler (our own
// recording never makes one, but a program's signal handler running on top
// of a re-issued wait may) is handled like any other, and the re-issued wait
// is interrupted by exactly the signals that would have interrupted it.
// Not noexcept: glibc's cancellation unwinds through a re-issued wait.
void on_sigsys(int, siginfo_t* info, void* context) {
  auto* uc = static_cast<ucontext_t*>(context);
  int saved_errno = errno;
  if (info->si_code == kSeccompSigsysCode && info->si_errno == kTrapTag) {
    uc->uc_mcontext.gregs[REG_RAX] = handle_trap(info->si_syscall, uc);
  } else {
    deliver_program_sigsys(info, uc);
  }
  errno = saved_errno;
}

// The kernel randomizes the placement of libraries (ASLR): a program exec'd
// from here, unlike us, has its code elsewhere than our sites. Without
// randomization, the same library sits at the same address in every process.
bool address_space_randomized(std::string* why) {
  int persona = personality(0xffffffff);
  if (persona != -1 && (persona & ADDR_NO_RANDOMIZE) != 0) {
    *why = "address space randomization is off for this process (setarch -R, personality ADDR_NO_RANDOMIZE)";
    return false;
  }
  int fd = open("/proc/sys/kernel/randomize_va_space", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    char c = 0;
    ssize_t n = read(fd, &c, 1);
    close(fd);
    if (n == 1 && c == '0') {
      *why = "address space randomization is off (kernel.randomize_va_space=0)";
      return false;
    }
  }
  return true;
}

// Threads started before us (by another library's constructor) that block
// SIGSYS would be killed by their first trapped call: their masks are not
// ours to change.
bool other_thread_blocks_sigsys(std::string* why) {
  DIR* dir = opendir("/proc/self/task");
  if (dir == nullptr) return false;
  long self = raw_syscall(SYS_gettid);
  bool found = false;
  while (dirent* e = readdir(dir)) {
    long tid = std::strtol(e->d_name, nullptr, 10);
    if (tid <= 0 || tid == self) continue;
    std::string path = std::string("/proc/self/task/") + e->d_name + "/status";
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) continue;
    buf[n] = '\0';
    const char* line = std::strstr(buf, "SigBlk:");
    if (line == nullptr) continue;
    uint64_t blocked = std::strtoull(line + 7, nullptr, 16);
    if ((blocked & kSigsysBit) != 0) {
      *why = "thread " + std::to_string(tid) + " started before the profiler and blocks SIGSYS";
      found = true;
      break;
    }
  }
  closedir(dir);
  return found;
}

bool refuse(const std::string& why) {
  warn("CONTEND_FUTEX=all: " + why + "; only the hooked lock functions are recorded");
  return false;
}

}  // namespace

void request_futex_trap() {
  g_requested = true;
}

bool start_requested_futex_trap() {
  if (!g_requested || g_active.load(std::memory_order_acquire)) return g_active.load();
  std::string why;
  if (!address_space_randomized(&why) || other_thread_blocks_sigsys(&why)) return refuse(why);
  TextRange own = settings().own_text;
  if (own.end == own.begin) return refuse("the profiler cannot find its own code");
  SyscallSites found = scan_syscall_sites(own, g_unwinder_text.get());
  if (found.fixed_address_sites != 0)
    return refuse("the executable is linked at a fixed address and has " +
                  std::to_string(found.fixed_address_sites) +
                  " system call instructions of its own, which cannot be trapped safely");
  if (found.sites.empty()) return refuse("no system call sites found in the loaded libraries");
  for (const TextRange& r : found.record_free) {
    if (g_record_free_count < kMaxRecordFree) g_record_free[g_record_free_count++] = r;
  }
  TrapFilterSpec spec;
  spec.sites = found.sites;
  spec.futex_passthrough = syscall_function_site(reinterpret_cast<const void*>(real().syscall));
  spec.tag = kTrapTag;
  std::vector<BpfProgram> programs = build_trap_filters(spec);
  if (programs.empty())
    return refuse("the seccomp filter for " + std::to_string(found.sites.size()) +
                  " system call sites could not be built");
  set_memory_owner();
  pthread_atfork(nullptr, nullptr, &set_memory_owner);
  if (!take_over_sigsys(&on_sigsys, &why)) return refuse(why);
  bool no_new_privs = false;
  size_t installed = 0;
  long rc = install_trap_filters(programs, &no_new_privs, &installed);
  if (rc != 0 && installed > 0) {
    // A filter is in place for good: the handler must stay, and the sites
    // of the programs that could not follow are not trapped.
    g_active.store(true, std::memory_order_release);
    warn("CONTEND_FUTEX=all: " + std::to_string(programs.size() - installed) + " of " +
         std::to_string(programs.size()) +
         " seccomp filters could not be installed; some waits are not seen");
    return true;
  }
  if (rc != 0) {
    give_back_sigsys();
    if (rc > 0) return refuse("thread " + std::to_string(rc) + " has a seccomp filter of its own");
    return refuse(std::string("cannot install a seccomp filter (") + std::strerror(static_cast<int>(-rc)) +
                  ")");
  }
  g_active.store(true, std::memory_order_release);
  return true;
}

bool futex_trap_active() {
  return g_active.load(std::memory_order_acquire);
}

}  // namespace contend::preload
