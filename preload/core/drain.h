// Moves records from the per-thread rings into the trace file.
//
// A background thread runs drain_once() every flush period, so application
// threads never wait on I/O; at stop the exit path finishes the job itself.
// Exited threads are finished here: their ring emptied, their lock counts,
// drops and end record written, and their slot recycled.
#pragma once

#include "thread_registry.h"
#include "trace_writer.h"

#include <contend/trace_format.h>

#include <pthread.h>
#include <atomic>
#include <cstdint>
#include <vector>

namespace contend::preload {

class Drain {
 public:
  void bind(ThreadRegistry* registry, TraceWriter* writer) {
    registry_ = registry;
    writer_ = writer;
  }

  // One pass over every thread; flushes the file.
  void drain_once();

  // The last pass: every thread is finished (running ones flagged as such),
  // then the footer. The drain thread must be stopped first.
  void finish(format::FooterReason reason);

  // Before exec: everything so far on disk, running threads' counters
  // snapshotted, and a footer, without ending any thread (if exec fails,
  // recording simply goes on and a later footer supersedes this one). The
  // drain thread must be stopped first.
  void checkpoint(format::FooterReason reason);

  bool start_thread(uint32_t period_ms);
  // From any thread, cheaply: run a pass now rather than at the end of the
  // period. Only the first request per pass makes a system call.
  void request_pass();
  void stop_thread();
  // In a forked child the thread is gone; forget it without joining.
  void forget_thread() {
    running_ = false;
    wake_requested_.store(false, std::memory_order_relaxed);
    dropped_total_ = 0;
    thread_drops_.clear();
  }

  uint64_t dropped_total() const { return dropped_total_; }

 private:
  static void* thread_main(void* self);
  // Exited threads finished, running ones' rings copied (and their counters
  // snapshotted if asked).
  void sweep(bool snapshot_counts);
  void copy_ring(ThreadState& t);
  void finish_thread(ThreadState& t, bool still_running);
  void write_clock_sync();
  void scan_modules(bool force);
  void write_counts(const ThreadState& t);
  void write_footer(format::FooterReason reason);

  ThreadRegistry* registry_ = nullptr;
  TraceWriter* writer_ = nullptr;
  uint64_t dropped_total_ = 0;
  std::vector<format::ThreadDrops> thread_drops_;  // for the footer
  uint32_t period_ms_ = 20;
  std::atomic<uint32_t> stop_word_{0};
  // The drain thread sleeps on wake_seq_ (a futex word): a request or stop
  // bumps it, so one made during a pass ends the next sleep at once.
  alignas(4) std::atomic<uint32_t> wake_seq_{0};
  std::atomic<bool> wake_requested_{false};
  pthread_t thread_{};
  bool running_ = false;
};

}  // namespace contend::preload
