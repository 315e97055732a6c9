#include "record/unwinder.h"

#include "record/walker_pipe.h"

#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
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
  int (*get_save_loc)(unw_cursor_t*, int, unw_save_loc_t*) = nullptr;
  int (*is_signal_frame)(unw_cursor_t*) = nullptr;
};

Entries g_entries;
std::atomic<bool> g_loaded{false};

// glibc's argument to __tls_get_addr (the x86-64 ABI's tls_index).
struct TlsIndex {
  unsigned long module;
  unsigned long offset;
};
using TlsGetAddr = void* (*)(TlsIndex*);
// libunwind's TLS module and the loader's __tls_get_addr: a thread's block
// of libunwind's TLS, allocated up front without walking (see warm below).
size_t g_tls_module = 0;
TlsGetAddr g_tls_get_addr = nullptr;
// Whether a thread is warmed by allocating its TLS block alone: the block
// can be reached (module and __tls_get_addr known), and a first walk with it
// in place allocates nothing with malloc (libunwind's thread-specific key is
// one of the first 32; pthread_setspecific callocs a block past them).
bool g_warm_tls_only = false;
constexpr pthread_key_t kKeysInThreadBlock = 32;  // glibc's PTHREAD_KEY_2NDLEVEL_SIZE
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
            resolve(handle, "_ULx86_64_step", e.step) && resolve(handle, "_ULx86_64_get_reg", e.get_reg) &&
            resolve(handle, "_ULx86_64_get_save_loc", e.get_save_loc) &&
            resolve(handle, "_ULx86_64_is_signal_frame", e.is_signal_frame);
  if (!ok) {
    *error = std::string(kLibrary) + " lacks the functions contend calls";
    dlclose(handle);
    return false;
  }
  g_entries = e;
  // Also when the program loaded libunwind itself and shares this copy:
  // our walks make its pipe early, before the program closes descriptors
  // it may then reuse, so its pipe must be kept apart too.
  guard_walker_pipe(handle);
  if (dlinfo(handle, RTLD_DI_TLS_MODID, &g_tls_module) != 0) g_tls_module = 0;
  g_tls_get_addr = reinterpret_cast<TlsGetAddr>(dlsym(RTLD_DEFAULT, "__tls_get_addr"));
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
  // libunwind's pipe must still be its own (record/walker_pipe.h): checked
  // here only when its calls could not be routed through us.
  if (!walker_pipe_intact()) return 0;
  // A thread's first walk makes calls that are cancellation points (msync,
  // checking an address); a cancellation pending in the program must act
  // where glibc acts on it, never inside our recording.
  int cancel_state;
  pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel_state);
  int n = walk(frames, max);
  pthread_setcancelstate(cancel_state, nullptr);
  tls_walked = true;
  return n;
}

namespace {

int walk_frames(WalkedFrame* frames, int max) {
  unw_context_t context;
  unw_cursor_t cursor;
  if (g_entries.getcontext(&context) != 0 || g_entries.init_local(&cursor, &context) != 0) return 0;
  int n = 0;
  while (n < max) {
    WalkedFrame& f = frames[n];
    static constexpr int kRegs[WalkedFrame::kSaved] = {UNW_X86_64_RBP, UNW_X86_64_RBX, UNW_X86_64_R12,
                                                       UNW_X86_64_R13, UNW_X86_64_R14, UNW_X86_64_R15};
    unw_word_t ip = 0, sp = 0;
    if (g_entries.get_reg(&cursor, UNW_REG_IP, &ip) != 0 || ip == 0 ||
        g_entries.get_reg(&cursor, UNW_REG_SP, &sp) != 0)
      break;
    f.ip = ip;
    f.sp = sp;
    for (int r = 0; r < WalkedFrame::kSaved; ++r) {
      unw_word_t value = 0;
      unw_save_loc_t where{};
      f.reg[r] = g_entries.get_reg(&cursor, kRegs[r], &value) == 0 ? value : 0;
      f.saved_at[r] = g_entries.get_save_loc(&cursor, kRegs[r], &where) == 0 && where.type == UNW_SLT_MEMORY
                          ? where.u.addr
                          : 0;
    }
    f.signal = g_entries.is_signal_frame(&cursor) > 0;
    ++n;
    if (g_entries.step(&cursor) <= 0) break;
  }
  return n;
}

}  // namespace

int walk_stack_frames(WalkedFrame* frames, int max) {
  if (!g_loaded.load(std::memory_order_acquire) || !walker_pipe_intact()) return 0;
  int cancel_state;
  pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel_state);
  int n = walk_frames(frames, max);
  pthread_setcancelstate(cancel_state, nullptr);
  return n;
}

void warm_stack_walker() {
  if (g_warm_tls_only) {
    // Only the TLS block: the walk's per-thread cache (256 KiB of buckets,
    // mmap'ed and filled by libunwind) waits for the thread's first real
    // walk, so a thread that never waits never pays for it.
    TlsIndex index{g_tls_module, 0};
    g_tls_get_addr(&index);
    tls_walked = true;
    return;
  }
  void* frame[1];
  walk_stack(frame, 1);
}

void warm_stack_walker_first() {
  // This walk sets libunwind up and makes its pipe, noted as it is made;
  // if libunwind was set up before us, the pipe is guessed on the lowest
  // free numbers.
  WalkerPipeGuess pipe = guess_walker_pipe();
  warm_stack_walker();
  note_walker_pipe(pipe);
  // libunwind created its key during that walk (or has none): a key made
  // now is numbered after it.
  pthread_key_t probe;
  if (pthread_key_create(&probe, nullptr) == 0) {
    g_warm_tls_only = g_tls_module != 0 && g_tls_get_addr != nullptr && probe < kKeysInThreadBlock;
    pthread_key_delete(probe);
  }
}

bool stack_walker_warm() {
  return tls_walked || !g_loaded.load(std::memory_order_acquire);
}

}  // namespace contend::preload
