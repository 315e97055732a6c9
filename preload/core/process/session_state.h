// The session's process-wide state, shared by session.cpp (start, thread
// attach and exit, stop), session_output.cpp (the trace file) and
// session_fork.cpp (fork, exec, namespaces). Internal to those three.
#pragma once

#include "base/clock.h"
#include "base/config.h"
#include "output/drain.h"
#include "output/trace_writer.h"
#include "thread/thread_registry.h"

#include <sys/types.h>
#include <unistd.h>
#include <cstdint>

namespace contend::preload::session {

// When and from whom this process's recording started: at the session's
// start, or at the fork for a child (whose trace is opened later).
struct ProcessStart {
  uint32_t pid = 0;
  uint32_t ppid = 0;
  uint64_t realtime_ns = 0;
  uint64_t monotonic_ns = 0;
  uint64_t ticks = 0;

  static ProcessStart now() {
    return {static_cast<uint32_t>(getpid()), static_cast<uint32_t>(getppid()), preload::realtime_ns(),
            preload::monotonic_ns(), now_ticks()};
  }
};

// Process-wide state in static storage that is never destroyed: hooks and
// exit paths may run after static destructors.
struct State {
  Config config;
  ThreadRegistry registry;
  TraceWriter writer;
  Drain drain;
  ClockCalibration calibration;
  ProcessStart process_start;
  bool started = false;
  bool registry_ready = false;
  bool drain_was_running = false;  // across a checkpoint before exec
  // A forked child's trace is opened after the fork, not in its handler.
  bool trace_open = false;
  bool trace_failed = false;
  bool inherited_modules = false;  // a child's: the parent's module map
  pid_t pid = 0;
};

// nullptr until the first session starts.
extern State* g_state;
State& state();

// The trace is open (a forked child's is opened here, lazily); false when
// it could not be, and recording is then off.
bool ensure_trace_open(State& s);
// The drain thread's first step (Drain::start_thread).
bool open_trace_on_drain();

// A THREAD_START record in t's ring.
void push_thread_start(ThreadState& t, uint32_t creator_tid);

}  // namespace contend::preload::session
