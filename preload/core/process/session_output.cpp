// The session's trace file: created at start (or, in a forked child,
// lazily), with its header, the configuration and the module map first.
#include "base/recorder_settings.h"
#include "base/warn.h"
#include "output/module_map.h"
#include "output/output_path.h"
#include "process/session_state.h"
#include "thread/current_thread.h"

#include <sys/stat.h>
#include <unistd.h>

namespace contend::preload::session {

namespace {

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
  c.header = format::make_header<format::ConfigRecord>();
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
    // Not even the header was written (RLIMIT_FSIZE below its size, a full
    // disk): the file is empty, no trace, and contend-report would refuse
    // every other trace of the run for it. It is ours (created exclusively
    // just now) while the path still names it.
    struct stat opened, named;
    bool ours = fstat(out.fd, &opened) == 0 && lstat(out.path.c_str(), &named) == 0 &&
                opened.st_dev == named.st_dev && opened.st_ino == named.st_ino;
    s.writer.close();
    if (ours) unlink(out.path.c_str());
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

}  // namespace contend::preload::session
