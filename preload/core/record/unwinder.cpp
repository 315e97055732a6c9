#include "record/unwinder.h"

#include <dlfcn.h>
#include <atomic>

#define UNW_LOCAL_ONLY
#include <libunwind.h>

namespace contend::preload {

namespace {

constexpr const char* kLibrary = "libunwind.so.8";

// The entry points we use, under their exported names (the macros of
// libunwind.h map unw_init_local to _ULx86_64_init_local and so on).
struct Entries {
  int (*backtrace)(void**, int) = nullptr;
  int (*getcontext)(unw_context_t*) = nullptr;
  int (*init_local)(unw_cursor_t*, unw_context_t*) = nullptr;
  int (*step)(unw_cursor_t*) = nullptr;
  int (*get_reg)(unw_cursor_t*, unw_regnum_t, unw_word_t*) = nullptr;
};

Entries g_entries;
std::atomic<bool> g_loaded{false};
__thread bool tls_walked __attribute__((tls_model("initial-exec"))) = false;

template <typename Fn>
bool resolve(void* handle, const char* name, Fn& out) {
  out = reinterpret_cast<Fn>(dlsym(handle, name));
  return out != nullptr;
}

#if defined(__SANITIZE_THREAD__)
// unw_backtrace keeps a per-thread cache whose thread-specific destructor
// takes a mutex in a late destructor round, after ThreadSanitizer has let
// go of the thread: a crash at thread exit, in TSan builds only. There, walk
// with a cursor, which keeps no per-thread state.
int walk(void** raw, int max) {
  unw_context_t context;
  unw_cursor_t cursor;
  if (g_entries.getcontext(&context) != 0 || g_entries.init_local(&cursor, &context) != 0) return 0;
  int n = 0;
  while (n < max) {
    unw_word_t ip = 0;
    if (g_entries.get_reg(&cursor, UNW_REG_IP, &ip) != 0 || ip == 0) break;
    raw[n++] = reinterpret_cast<void*>(ip);
    if (g_entries.step(&cursor) <= 0) break;
  }
  return n;
}
#else
int walk(void** raw, int max) {
  return g_entries.backtrace(raw, max);
}
#endif

}  // namespace

bool load_unwinder(std::string* error) {
  if (g_loaded.load(std::memory_order_acquire)) return true;
  // RTLD_LOCAL keeps every symbol of it (and of its own dependencies) out
  // of the program's lookup; RTLD_NOW finds a broken install here, not in a
  // hook.
  void* handle = dlopen(kLibrary, RTLD_LOCAL | RTLD_NOW);
  if (handle == nullptr) {
    const char* why = dlerror();
    *error = std::string("cannot load ") + kLibrary + " (" + (why != nullptr ? why : "not found") + ")";
    return false;
  }
  Entries e;
  bool ok = resolve(handle, "unw_backtrace", e.backtrace) &&
            resolve(handle, "_Ux86_64_getcontext", e.getcontext) &&
            resolve(handle, "_ULx86_64_init_local", e.init_local) &&
            resolve(handle, "_ULx86_64_step", e.step) && resolve(handle, "_ULx86_64_get_reg", e.get_reg);
  if (!ok) {
    *error = std::string(kLibrary) + " lacks the functions contend calls";
    dlclose(handle);
    return false;
  }
  g_entries = e;
  // Its code, before anything can call it through us.
  g_unwinder_text.publish(text_range_of(reinterpret_cast<const void*>(e.backtrace)));
  g_loaded.store(true, std::memory_order_release);
  return true;
}

bool unwinder_loaded() {
  return g_loaded.load(std::memory_order_acquire);
}

int walk_stack(void** frames, int max) {
  if (!g_loaded.load(std::memory_order_acquire)) return 0;
  int n = walk(frames, max);
  tls_walked = true;
  return n;
}

void warm_stack_walker() {
  void* frame[1];
  walk_stack(frame, 1);
}

bool stack_walker_warm() {
  return tls_walked || !g_loaded.load(std::memory_order_acquire);
}

}  // namespace contend::preload
