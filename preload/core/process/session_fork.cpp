// The session across fork, exec and namespace changes (session.h).
#include "process/session.h"

#include "base/process_threads.h"
#include "base/raw_syscall.h"
#include "base/recorder_settings.h"
#include "base/warn.h"
#include "output/loader_lock.h"
#include "output/module_map.h"
#include "process/session_state.h"
#include "record/acquisition.h"
#include "record/lock_registry.h"
#include "record/self_cost.h"
#include "record/stack_capture.h"

#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <algorithm>
#include <ctime>
#include <iterator>

namespace contend::preload::session {

void prepare_fork() {
  if (owns_process()) hold_module_scans_for_fork();
}

void resume_after_fork() {
  release_module_scans_after_fork(false);
}

void restart_in_child() {
  // Only state is reset here: the child is inside fork, where the loader's
  // and our own locks may be held by threads that no longer exist. Its
  // trace is opened later (ensure_trace_open).
  if (g_state == nullptr || !g_state->started) {
    release_module_scans_after_fork(true);
    return;
  }
  State& s = *g_state;
  g_recording.store(false, std::memory_order_release);
  s.drain.forget_thread(s.config.children);
  // The parent's undrained data and open file stay the parent's.
  s.writer.abandon();
  s.trace_open = false;
  bool map_consistent = release_module_scans_after_fork(true);
  module_map().adopt_after_fork(loader_write_lock_free(), map_consistent);
  // The unwinder finds unwind tables through the same loader lock: in a
  // child where it is held for good, stacks are the calling site only.
  if (module_map().frozen() && g_settings.stack_depth > 1) g_settings.stack_depth = 1;
  if (!s.config.children) {
    s.started = false;
    return;
  }
  ThreadState* self = attached_thread();
  s.registry.reset_after_fork(self);
  s.pid = getpid();
  s.process_start = ProcessStart::now();
  s.inherited_modules = true;
  s.trace_failed = false;
  // The child's trace starts empty: its stacks and locks are written anew.
  written_stacks().clear();
  lock_registry().clear();
  // The child is single-threaded: its drain starts when it needs one.
  if (self != nullptr) {
    self->ring.reset();
    self->table.restart();
    std::fill(std::begin(self->stack_cache), std::end(self->stack_cache), 0);
    self->held_count = 0;
    // Releases the parent summed are the parent's to write.
    self->pending_release = ThreadState::PendingRelease{};
    for (auto& d : self->dropped) d.store(0, std::memory_order_relaxed);
    self->tid = static_cast<uint32_t>(gettid());
    self->handle = pthread_self();
    self->start_ticks = s.process_start.ticks;
    push_thread_start(*self, 0);
    push_self_cost(*self);  // measured in the parent: the same machine
  }
  g_recording.store(true, std::memory_order_release);
}

void checkpoint_before_exec() {
  if (g_state == nullptr || !g_state->started) return;
  State& s = *g_state;
  // Our own summed releases through our ring, as the owner: if exec fails
  // we go on summing from zero, and nothing is written twice.
  if (ThreadState* self = attached_thread(); self != nullptr) flush_pending_release(*self);
  // Claimed throughout, so that no other thread starts a drain (a second
  // consumer of the rings) while this one writes the checkpoint.
  s.drain_was_running = s.drain.pause();
  if (!ensure_trace_open(s)) return;
  s.drain.checkpoint(format::FooterReason::kExec);
}

void resume_after_failed_exec() {
  if (g_state == nullptr || !g_state->started) return;
  g_state->drain.resume(g_state->drain_was_running);
}

void before_namespace_change() {
  if (!owns_process() || !g_state->drain.claimed()) return;
  // Only when our drain is the one other thread: with threads of its own
  // the program's call fails (or succeeds) the same with or without it.
  auto self = static_cast<pid_t>(gettid());
  if (other_running_threads(self) != 1) return;
  // Stopped, not restarted: the program is single-threaded again, and the
  // drain comes back as it first came, at its next pthread_create or when
  // a ring fills up.
  g_state->drain.stop_until_needed();
  // Joined is not gone: the kernel ends a thread a moment after its join
  // returns, and the program's call would fail meanwhile, as it would not
  // without us. Not a cancellation point.
  for (int i = 0; i < 100 && other_running_threads(self) > 0; ++i) {
    struct timespec ms = {0, 1000000};
    raw_syscall(SYS_nanosleep, reinterpret_cast<long>(&ms), 0);
  }
}

bool owns_process() {
  return g_state != nullptr && g_state->started && g_state->pid == getpid();
}

}  // namespace contend::preload::session
