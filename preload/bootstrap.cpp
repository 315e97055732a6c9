#include "bootstrap.h"

#include "core/base/config.h"
#include "core/base/errno_guard.h"
#include "core/base/raw_syscall.h"
#include "core/base/recorder_settings.h"
#include "core/base/text_range.h"
#include "core/base/warn.h"
#include "core/process/futex_trap.h"
#include "core/process/session.h"
#include "core/record/unwinder.h"
#include "preload_env.h"
#include "stats_summary.h"

#include <dlfcn.h>
#include <sched.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <cerrno>
#include <cstdarg>
#include <cstdlib>
#include <string>

// libc's own implementations under their compatibility names. Bound at link
// time to those versions, so they can never resolve back to our hooks: the
// answer to a lock taken while dlsym is still resolving the public names (a
// preloaded allocator's mutex, say).
extern "C" {
int contend_libc_mutex_lock(pthread_mutex_t*) noexcept;
int contend_libc_mutex_trylock(pthread_mutex_t*) noexcept;
int contend_libc_mutex_unlock(pthread_mutex_t*) noexcept;
int contend_libc_rwlock_rdlock(pthread_rwlock_t*) noexcept;
int contend_libc_rwlock_wrlock(pthread_rwlock_t*) noexcept;
int contend_libc_rwlock_tryrdlock(pthread_rwlock_t*) noexcept;
int contend_libc_rwlock_trywrlock(pthread_rwlock_t*) noexcept;
int contend_libc_rwlock_unlock(pthread_rwlock_t*) noexcept;
}
__asm__(".symver contend_libc_mutex_lock, __pthread_mutex_lock@GLIBC_2.2.5");
__asm__(".symver contend_libc_mutex_trylock, __pthread_mutex_trylock@GLIBC_2.2.5");
__asm__(".symver contend_libc_mutex_unlock, __pthread_mutex_unlock@GLIBC_2.2.5");
__asm__(".symver contend_libc_rwlock_rdlock, __pthread_rwlock_rdlock@GLIBC_2.2.5");
__asm__(".symver contend_libc_rwlock_wrlock, __pthread_rwlock_wrlock@GLIBC_2.2.5");
__asm__(".symver contend_libc_rwlock_tryrdlock, __pthread_rwlock_tryrdlock@GLIBC_2.2.5");
__asm__(".symver contend_libc_rwlock_trywrlock, __pthread_rwlock_trywrlock@GLIBC_2.2.5");
__asm__(".symver contend_libc_rwlock_unlock, __pthread_rwlock_unlock@GLIBC_2.2.5");

namespace contend::preload {

namespace {

bool g_refused = false;
std::atomic<pid_t> g_resolver{0};

// syscall() itself, for the bootstrap window (tcmalloc's spinlocks call
// syscall(SYS_futex) from inside malloc, which dlsym may call).
long syscall_with_errno(long number, ...) {
  va_list ap;
  va_start(ap, number);
  long a1 = va_arg(ap, long), a2 = va_arg(ap, long), a3 = va_arg(ap, long);
  long a4 = va_arg(ap, long), a5 = va_arg(ap, long), a6 = va_arg(ap, long);
  va_end(ap);
  long ret = raw_syscall6(number, a1, a2, a3, a4, a5, a6);
  if (ret < 0 && ret > -4096) {
    errno = static_cast<int>(-ret);
    return -1;
  }
  return ret;
}

const RealFunctions& bootstrap_functions() {
  static constinit RealFunctions table = [] {
    RealFunctions f;
    f.mutex_lock = &contend_libc_mutex_lock;
    f.mutex_trylock = &contend_libc_mutex_trylock;
    f.mutex_unlock = &contend_libc_mutex_unlock;
    f.rwlock_rdlock = &contend_libc_rwlock_rdlock;
    f.rwlock_wrlock = &contend_libc_rwlock_wrlock;
    f.rwlock_tryrdlock = &contend_libc_rwlock_tryrdlock;
    f.rwlock_trywrlock = &contend_libc_rwlock_trywrlock;
    f.rwlock_unlock = &contend_libc_rwlock_unlock;
    f.syscall = &syscall_with_errno;
    return f;
  }();
  return table;
}

struct Resolver {
  std::string missing;

  template <typename Fn>
  void operator()(Fn*& slot, const char* name, const char* version = nullptr) {
    void* p = version != nullptr ? dlvsym(RTLD_NEXT, name, version) : dlsym(RTLD_NEXT, name);
    slot = reinterpret_cast<Fn*>(p);
    if (p == nullptr) missing += std::string(missing.empty() ? "" : ", ") + name;
  }

  // A compatibility version: only programs bound to it call it, and libc
  // has it if they could be loaded at all.
  template <typename Fn>
  void optional(Fn*& slot, const char* name, const char* version) {
    slot = reinterpret_cast<Fn*>(dlvsym(RTLD_NEXT, name, version));
  }
};

std::string resolve_all(RealFunctions& f) {
  Resolver r;
  r(f.mutex_lock, "pthread_mutex_lock");
  r(f.mutex_trylock, "pthread_mutex_trylock");
  r(f.mutex_timedlock, "pthread_mutex_timedlock");
  r(f.mutex_clocklock, "pthread_mutex_clocklock");
  r(f.mutex_unlock, "pthread_mutex_unlock");
  r(f.mutex_init, "pthread_mutex_init");
  r(f.mutex_destroy, "pthread_mutex_destroy");
  r(f.mutex_consistent, "pthread_mutex_consistent");
  r(f.rwlock_rdlock, "pthread_rwlock_rdlock");
  r(f.rwlock_wrlock, "pthread_rwlock_wrlock");
  r(f.rwlock_tryrdlock, "pthread_rwlock_tryrdlock");
  r(f.rwlock_trywrlock, "pthread_rwlock_trywrlock");
  r(f.rwlock_timedrdlock, "pthread_rwlock_timedrdlock");
  r(f.rwlock_timedwrlock, "pthread_rwlock_timedwrlock");
  r(f.rwlock_clockrdlock, "pthread_rwlock_clockrdlock");
  r(f.rwlock_clockwrlock, "pthread_rwlock_clockwrlock");
  r(f.rwlock_unlock, "pthread_rwlock_unlock");
  r(f.rwlock_init, "pthread_rwlock_init");
  r(f.rwlock_destroy, "pthread_rwlock_destroy");
  r(f.spin_lock, "pthread_spin_lock");
  r(f.spin_trylock, "pthread_spin_trylock");
  r(f.spin_unlock, "pthread_spin_unlock");
  r(f.spin_init, "pthread_spin_init");
  r(f.spin_destroy, "pthread_spin_destroy");
  // Plain dlsym may hand back the pre-2.3.2 condition variable ABI.
  r(f.cond_wait, "pthread_cond_wait", "GLIBC_2.3.2");
  r(f.cond_timedwait, "pthread_cond_timedwait", "GLIBC_2.3.2");
  r(f.cond_signal, "pthread_cond_signal", "GLIBC_2.3.2");
  r(f.cond_broadcast, "pthread_cond_broadcast", "GLIBC_2.3.2");
  r(f.cond_clockwait, "pthread_cond_clockwait");
  r.optional(f.cond_wait_compat, "pthread_cond_wait", "GLIBC_2.2.5");
  r.optional(f.cond_timedwait_compat, "pthread_cond_timedwait", "GLIBC_2.2.5");
  r.optional(f.cond_signal_compat, "pthread_cond_signal", "GLIBC_2.2.5");
  r.optional(f.cond_broadcast_compat, "pthread_cond_broadcast", "GLIBC_2.2.5");
  r(f.sem_wait, "sem_wait");
  r(f.sem_trywait, "sem_trywait");
  r(f.sem_timedwait, "sem_timedwait");
  r(f.sem_clockwait, "sem_clockwait");
  r(f.sem_post, "sem_post");
  r(f.syscall, "syscall");
  r(f.create_thread, "pthread_create");
  r(f.setname, "pthread_setname_np");
  r(f.execve, "execve");
  r(f.execv, "execv");
  r(f.execvp, "execvp");
  r(f.execvpe, "execvpe");
  r(f.fexecve, "fexecve");
  r(f.execveat, "execveat");
  r(f.exit_now, "_exit");
  r(f.exit_now_c99, "_Exit");
  r(f.unshare, "unshare");
  r(f.setns, "setns");
  r(f.dlclose, "dlclose");
  return r.missing;
}

// Our own executable code: stacks leave these frames out.
void find_own_text() {
  g_settings.own_text = text_range_of(reinterpret_cast<const void*>(&find_own_text));
}

void start_session() {
  if (getauxval(AT_SECURE) != 0) {
    // setuid/setgid and friends: the loader ignores LD_PRELOAD for most of
    // them anyway; where we are loaded, we do nothing at all.
    g_refused = true;
    return;
  }
  open_diagnostic_fd();
  ConfigResult parsed = parse_config([](const char* name) -> const char* { return getenv(name); });
  for (const std::string& w : parsed.warnings) warn(w);
  if (!parsed.config.children) remove_self_from_ld_preload();
  if (parsed.config.disabled) {
    g_refused = true;
    return;
  }
  find_own_text();
  session::set_stats_printer(&print_stats_summary);
  if (session::start(parsed.config) && parsed.config.futex_all) request_futex_trap();
}

}  // namespace

const RealFunctions& boot_slow() {
  ScopedErrno keep_errno;  // booting resolves symbols, opens the trace, maps tables
  int expected = kBootNone;
  if (g_boot_state.compare_exchange_strong(expected, kBootResolving, std::memory_order_acq_rel)) {
    g_resolver.store(static_cast<pid_t>(raw_syscall(SYS_gettid)), std::memory_order_release);
    RealFunctions resolved;
    std::string missing = resolve_all(resolved);
    g_real_functions = resolved;
    g_boot_state.store(kBootResolved, std::memory_order_release);
    if (!missing.empty()) {
      // Without its real functions a hook cannot forward: stay a plain
      // pass-through for what did resolve and record nothing.
      g_refused = true;
      open_diagnostic_fd();
      warn("cannot resolve " + missing + "; profiling is off for this process");
    } else {
      start_session();
    }
    g_boot_state.store(kBootDone, std::memory_order_release);
    return real();
  }
  if (expected == kBootResolving) {
    // Re-entered from inside dlsym on the resolving thread: libc's internal
    // entry points. Any other thread waits the few microseconds it takes.
    if (g_resolver.load(std::memory_order_acquire) == static_cast<pid_t>(raw_syscall(SYS_gettid)))
      return bootstrap_functions();
    while (g_boot_state.load(std::memory_order_acquire) == kBootResolving) sched_yield();
  }
  return real();  // resolved; the session may still be starting (maybe on this thread)
}

void load_stack_walker() {
  if (g_refused || settings().stack_depth <= 1 || unwinder_loaded()) return;
  std::string error;
  if (!load_unwinder(&error)) warn(error + "; stacks hold the calling function only");
}

}  // namespace contend::preload
