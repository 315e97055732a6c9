#include "process/session.h"

#include "thread/thread_stack.h"

#include "base/clock.h"
#include "base/recorder_settings.h"
#include "base/warn.h"
#include "output/drain.h"
#include "output/loader_lock.h"
#include "output/trace_writer.h"
#include "process/session_state.h"
#include "record/acquisition.h"
#include "record/lock_registry.h"
#include "record/stack_capture.h"

#include <pthread.h>
#include <sys/prctl.h>
#include <sys/single_threaded.h>
#include <unistd.h>
#include <ctime>
#include <new>

namespace contend::preload::session {

namespace {

alignas(State) unsigned char g_storage[sizeof(State)];
StatsPrinter g_stats_printer = nullptr;
pthread_key_t g_exit_key;
bool g_exit_key_ready = false;

void on_thread_exit(void*) {
  detach_current_thread();
}

// The stack ids written and the lock registry: shared by all threads, mapped
// once per process, emptied for every new trace.
bool init_shared_tables(const Config& config) {
  static bool ready = false;
  if (ready) {
    written_stacks().clear();
    lock_registry().clear();
    return true;
  }
  if (!written_stacks().init(1u << 16) || !lock_registry().init(config.lock_registry)) {
    warn("cannot map memory for the stack and lock tables; profiling is off for this process");
    return false;
  }
  ready = true;
  return true;
}

bool init_thread_registry(State& s);
bool init_exit_key();

}  // namespace

State* g_state = nullptr;

State& state() {
  if (g_state == nullptr) g_state = new (g_storage) State();
  return *g_state;
}

void push_thread_start(ThreadState& t, uint32_t creator_tid) {
  format::ThreadStartRecord r{};
  r.header = format::make_header<format::ThreadStartRecord>();
  r.tid = t.tid;
  r.creator_tid = creator_tid;
  r.time = t.start_ticks;
  t.push(r);
}

bool start(const Config& config) {
  State& s = state();
  if (s.started) return true;
  // Settings first: everything after reads them.
  s.config = config;
  s.calibration = init_clock(config.clock.c_str());
  apply_settings(config, s.calibration);
  // Memory, then the output.
  if (!init_shared_tables(config) || !init_thread_registry(s) || !init_exit_key()) return false;
  s.process_start = ProcessStart::now();
  s.inherited_modules = false;
  s.trace_failed = false;
  // Once, while we hold no loader lock: what a forked child needs to know
  // whether it may ask the loader anything (loader_lock.h).
  locate_loader_write_lock();
  if (!ensure_trace_open(s)) return false;
  s.pid = getpid();
  s.drain.bind(&s.registry, &s.writer, config.flush_ms, &open_trace_on_drain);
  prometheus_file().configure(config.prom_file.c_str(), config.prom_ms, s.calibration.calib_ticks,
                              s.calibration.calib_ns);
  s.started = true;
  g_recording.store(true, std::memory_order_release);
  // Threads that exist already (started by other libraries' constructors)
  // need the drain now; a single-threaded process gets it when it needs it.
  if (__libc_single_threaded == 0) start_drain();
  return true;
}

namespace {

bool init_thread_registry(State& s) {
  const Config& config = s.config;
  RegistryLimits limits;
  limits.max_threads = config.max_threads;
  limits.ring_bytes = config.ring_kib << 10;
  limits.lock_slots = config.lock_slots;
  limits.lock_slots_max = config.lock_slots_max;
  if (s.registry_ready && !(limits == s.registry.limits())) {
    // Only a process that starts several sessions (the unit tests) gets
    // here; every thread of the previous session has been finished.
    s.registry.destroy();
    s.registry_ready = false;
  }
  if (!s.registry_ready) {
    if (!s.registry.init(limits)) {
      warn("cannot map memory for thread state; profiling is off for this process");
      return false;
    }
    s.registry_ready = true;
  }
  s.registry.reset_counters();
  return true;
}

// Tells us when a thread ends (its destructor runs on that thread).
bool init_exit_key() {
  if (g_exit_key_ready) return true;
  if (pthread_key_create(&g_exit_key, &on_thread_exit) != 0) {
    warn("no pthread key left for thread-exit tracking; profiling is off for this process");
    return false;
  }
  g_exit_key_ready = true;
  return true;
}

}  // namespace

void start_drain() {
  if (g_state != nullptr && g_state->started) g_state->drain.start_lazily();
}

ThreadState* attach_current_thread(uint32_t creator_tid) {
  if (!g_recording.load(std::memory_order_acquire)) return nullptr;
  if (tls_thread != nullptr) return nullptr;  // detached, or attaching right now
  // Anything we call from here that locks (pthread_setspecific may allocate)
  // must not try to attach again.
  tls_thread = kDetached;
  State& s = state();
  ThreadState* t = s.registry.claim(static_cast<uint32_t>(gettid()), now_ticks());
  if (t == nullptr) return nullptr;  // stays detached: counted as refused
  // A thread we start learns its stack in our trampoline; the main thread's
  // is known from the loader. (After a fork from another thread, its stack
  // is not the main one: the check against this frame leaves it unknown.)
  if (static_cast<pid_t>(t->tid) == getpid())
    t->stack = main_thread_stack(reinterpret_cast<uintptr_t>(__builtin_frame_address(0)));
  pthread_setspecific(g_exit_key, t);
  push_thread_start(*t, creator_tid);
  tls_thread = t;
  return t;
}

uint32_t tid_of(pthread_t thread) {
  if (g_state == nullptr) return 0;
  uint32_t tid = 0;
  g_state->registry.for_each_live([&](ThreadState& t, SlotState state) {
    if (state == SlotState::kActive && pthread_equal(t.handle, thread)) tid = t.tid;
  });
  return tid;
}

void detach_current_thread() {
  ThreadState* t = tls_thread;
  if (t == nullptr || t == kDetached || g_state == nullptr) return;
  if (!g_recording.load(std::memory_order_acquire)) {
    // Stopping: the final pass writes this thread out as still running.
    tls_thread = kDetached;
    return;
  }
  flush_pending_release(*t);
  t->end_ticks = now_ticks();
  timespec ts;
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
    t->cpu_ns = static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
  prctl(PR_GET_NAME, t->name, 0, 0, 0);
  tls_thread = kDetached;
  g_state->registry.mark_exited(t);
}

void stop(format::FooterReason reason) {
  if (g_state == nullptr || !g_state->started) return;
  State& s = *g_state;
  s.started = false;
  g_recording.store(false, std::memory_order_release);
  s.drain.stop();
  if (!ensure_trace_open(s)) return;
  s.drain.finish(reason);
  s.writer.close();
  s.trace_open = false;
  if (tls_thread != kDetached) tls_thread = nullptr;
  if (s.config.stats && g_stats_printer != nullptr) {
    int fd = diagnostic_fd();
    if (fd >= 0) g_stats_printer(s.writer.path().c_str(), fd);
  }
}

void drain_now() {
  if (g_state != nullptr && g_state->started && ensure_trace_open(*g_state)) g_state->drain.drain_once();
}

bool is_started() {
  return g_state != nullptr && g_state->started;
}
void set_stats_printer(StatsPrinter printer) {
  g_stats_printer = printer;
}

}  // namespace contend::preload::session
