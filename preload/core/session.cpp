#include "session.h"

#include "acquisition.h"
#include "clock.h"
#include "drain.h"
#include "loader_lock.h"
#include "lock_registry.h"
#include "module_map.h"
#include "output_path.h"
#include "recorder_settings.h"
#include "session_state.h"
#include "stack_capture.h"
#include "trace_writer.h"
#include "warn.h"

#include <pthread.h>
#include <sys/prctl.h>
#include <sys/single_threaded.h>
#include <unistd.h>
#include <ctime>
#include <new>

namespace contend::preload::session {

__thread ThreadState* tls_thread __attribute__((tls_model("initial-exec"))) = nullptr;

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

HeaderInfo make_header(const ClockCalibration& cal, const ProcessStart& start) {
  HeaderInfo h;
  h.pid = start.pid;
  h.ppid = start.ppid;
  h.start_realtime_ns = start.realtime_ns;
  h.start_monotonic_ns = start.monotonic_ns;
  h.start_ticks = start.ticks;
  h.calib_ticks = cal.calib_ticks;
  h.calib_ns = cal.calib_ns;
  h.clock_source = cal.source;
  h.exe_path = read_exe_path();
  h.command_line = read_command_line();
  return h;
}

void write_config(State& s) {
  format::ConfigRecord c{};
  c.header = format::make_header<format::ConfigRecord>(format::RecordKind::kConfig);
  c.hold_sample_every = settings().hold_sample_every;
  c.hold_sample_rate = s.config.hold_rate;
  c.stack_depth = settings().stack_depth;
  s.writer.append(c);
}

// Creates the file and writes its header, the configuration and the module
// map; warns and returns false on failure.
bool open_trace(State& s) {
  ClaimedOutput out = claim_output(s.config.output, getpid());
  if (out.fd < 0) {
    warn(out.error + "; profiling is off for this process");
    return false;
  }
  s.writer.open(out.fd, out.path);
  HeaderInfo header = make_header(s.calibration, s.process_start);
  if (!s.writer.write_header(header)) {
    s.writer.close();
    return false;
  }
  write_config(s);
  {
    ModuleScanGuard guard;
    if (s.inherited_modules) {
      // A forked child: what it inherited, from the kept records, then
      // what changed since (unless the loader is unusable here).
      module_map().emit_known(&append_to_writer, &s.writer);
      module_map().scan(&append_to_writer, &s.writer, now_ticks(), false);
    } else {
      module_map().reset(header.exe_path);
      module_map().scan(&append_to_writer, &s.writer, now_ticks(), true);
    }
  }
  s.writer.flush();
  return true;
}

}  // namespace

State* g_state = nullptr;

State& state() {
  if (g_state == nullptr) g_state = new (g_storage) State();
  return *g_state;
}

// A forked child opens its trace lazily, outside the fork handler: when its
// drain thread starts, or on the exit or exec path, whichever comes first
// (always one thread at a time: the drain, or a caller that stopped it).
bool ensure_trace_open(State& s) {
  if (s.trace_open) return true;
  if (s.trace_failed) return false;
  if (open_trace(s)) {
    s.trace_open = true;
    return true;
  }
  s.trace_failed = true;
  g_recording.store(false, std::memory_order_release);
  return false;
}

bool open_trace_on_drain() {
  return g_state != nullptr && ensure_trace_open(*g_state);
}

void push_thread_start(ThreadState& t, uint32_t creator_tid) {
  format::ThreadStartRecord r{};
  r.header = format::make_header<format::ThreadStartRecord>(format::RecordKind::kThreadStart);
  r.tid = t.tid;
  r.creator_tid = creator_tid;
  r.time = t.start_ticks;
  t.push(r);
}

bool start(const Config& config) {
  State& s = state();
  if (s.started) return true;
  s.config = config;
  s.calibration = init_clock(config.clock.c_str());
  g_settings.stack_depth = config.stack_depth;
  g_settings.hold_sample_every = config.hold_sample;
  // The rate cap as a minimum gap between samples, in ticks.
  double ticks_per_second =
      1e9 * static_cast<double>(s.calibration.calib_ticks) / static_cast<double>(s.calibration.calib_ns);
  g_settings.hold_min_gap_ticks = static_cast<uint64_t>(ticks_per_second / config.hold_rate);
  // Summed releases are flushed at the drain period (20 ms without a drain).
  uint32_t flush_ms = config.flush_ms != 0 ? config.flush_ms : 20;
  g_settings.release_flush_ticks = static_cast<uint64_t>(ticks_per_second * flush_ms / 1000.0);
  if (!init_shared_tables(config)) return false;
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
  if (!g_exit_key_ready) {
    if (pthread_key_create(&g_exit_key, &on_thread_exit) != 0) {
      warn("no pthread key left for thread-exit tracking; profiling is off for this process");
      return false;
    }
    g_exit_key_ready = true;
  }
  s.process_start = ProcessStart::now();
  s.inherited_modules = false;
  s.trace_failed = false;
  // Once, while we hold no loader lock: what a forked child needs to know
  // whether it may ask the loader anything (loader_lock.h).
  locate_loader_write_lock();
  if (!open_trace(s)) return false;
  s.trace_open = true;
  s.pid = getpid();
  s.drain.bind(&s.registry, &s.writer);
  prometheus_file().configure(config.prom_file.c_str(), config.prom_ms, s.calibration.calib_ticks,
                              s.calibration.calib_ns);
  s.started = true;
  g_recording.store(true, std::memory_order_release);
  // Threads that exist already (started by other libraries' constructors)
  // need the drain now; a single-threaded process gets it when it needs it.
  if (__libc_single_threaded == 0) start_drain();
  return true;
}

void start_drain() {
  if (g_state == nullptr || !g_state->started || g_state->config.flush_ms == 0) return;
  bool expected = false;
  if (!g_drain_running.compare_exchange_strong(expected, true, std::memory_order_acq_rel)) return;
  if (!g_state->drain.start_thread(g_state->config.flush_ms, &open_trace_on_drain)) {
    warn("cannot start the drain thread; records are written at exit only");
    g_drain_running.store(false, std::memory_order_release);
  }
}

}  // namespace contend::preload::session

namespace contend::preload {

// A ring a quarter full: start the drain if it was waiting for a reason to,
// or wake it before its period ends: a burst of contention fills a ring in
// milliseconds, and the drain may need as long to get a CPU.
void on_ring_pressure(ThreadState& t) {
  if (t.ring.producer_fill() <= t.ring.capacity() / 4) return;
  if (!session::g_drain_running.load(std::memory_order_relaxed)) {
    session::start_drain();
  } else if (session::g_state != nullptr) {
    session::g_state->drain.request_pass();
  }
}

}  // namespace contend::preload

namespace contend::preload::session {

ThreadState* attach_current_thread(uint32_t creator_tid) {
  if (!g_recording.load(std::memory_order_acquire)) return nullptr;
  if (tls_thread != nullptr) return nullptr;  // detached, or attaching right now
  // Anything we call from here that locks (pthread_setspecific may allocate)
  // must not try to attach again.
  tls_thread = kDetached;
  State& s = state();
  ThreadState* t = s.registry.claim(static_cast<uint32_t>(gettid()), now_ticks());
  if (t == nullptr) return nullptr;  // stays detached: counted as refused
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
  s.drain.stop_thread();
  g_drain_running.store(false, std::memory_order_release);
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

ThreadRegistry& registry() {
  return state().registry;
}
const std::string& trace_path() {
  return state().writer.path();
}
bool is_started() {
  return g_state != nullptr && g_state->started;
}
void set_stats_printer(StatsPrinter printer) {
  g_stats_printer = printer;
}

}  // namespace contend::preload::session
