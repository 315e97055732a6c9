#include "bootstrap.h"

#include "core/config.h"
#include "core/session.h"
#include "core/warn.h"
#include "stats_summary.h"

#include <dlfcn.h>
#include <sys/auxv.h>
#include <cstdlib>

// libc's own implementations under their compatibility names. Bound at link
// time to those versions, so they can never resolve back to our hooks: the
// answer while dlsym is still resolving the public names.
extern "C" {
int contend_libc_mutex_lock(pthread_mutex_t*);
int contend_libc_mutex_trylock(pthread_mutex_t*);
int contend_libc_mutex_unlock(pthread_mutex_t*);
}
__asm__(".symver contend_libc_mutex_lock, __pthread_mutex_lock@GLIBC_2.2.5");
__asm__(".symver contend_libc_mutex_trylock, __pthread_mutex_trylock@GLIBC_2.2.5");
__asm__(".symver contend_libc_mutex_unlock, __pthread_mutex_unlock@GLIBC_2.2.5");

namespace contend::preload {

namespace {

bool g_refused = false;

const RealFunctions& libc_internal_functions() {
  static constinit RealFunctions table = [] {
    RealFunctions f;
    f.mutex_lock = &contend_libc_mutex_lock;
    f.mutex_trylock = &contend_libc_mutex_trylock;
    f.mutex_unlock = &contend_libc_mutex_unlock;
    return f;
  }();
  return table;
}

template <typename Fn>
void resolve(Fn*& slot, const char* name) {
  slot = reinterpret_cast<Fn*>(dlsym(RTLD_NEXT, name));
}

bool resolve_all(RealFunctions& f) {
  resolve(f.mutex_lock, "pthread_mutex_lock");
  resolve(f.mutex_trylock, "pthread_mutex_trylock");
  resolve(f.mutex_unlock, "pthread_mutex_unlock");
  resolve(f.create_thread, "pthread_create");
  return f.complete();
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
  if (parsed.config.disabled) {
    g_refused = true;
    return;
  }
  session::set_stats_printer(&print_stats_summary);
  session::start(parsed.config);
}

}  // namespace

const RealFunctions& boot_slow() {
  int expected = kBootNone;
  if (g_boot_state.compare_exchange_strong(expected, kBootResolving, std::memory_order_acq_rel)) {
    RealFunctions resolved;
    if (!resolve_all(resolved)) {
      // Without the real functions we can only be a pass-through to libc.
      g_real_functions = libc_internal_functions();
      g_refused = true;
      g_boot_state.store(kBootDone, std::memory_order_release);
      warn("cannot resolve the real pthread functions; profiling is off for this process");
      return real();
    }
    g_real_functions = resolved;
    g_boot_state.store(kBootResolved, std::memory_order_release);
    start_session();
    g_boot_state.store(kBootDone, std::memory_order_release);
    return real();
  }
  if (expected == kBootResolving) return libc_internal_functions();
  return real();  // resolved; the session is starting (maybe on this thread)
}

bool boot_refused() {
  return g_refused;
}

}  // namespace contend::preload
