// Moves records from the per-thread rings into the trace file.
//
// A background thread runs drain_once() every flush period, so application
// threads never wait on I/O; at stop the exit path finishes the job itself.
// Exited threads are finished here: their ring emptied, their lock counts,
// drops and end record written, and their slot recycled. Running threads'
// changed lock counts are written once per flush period.
//
// The thread is a guest: it runs with every signal blocked (a signal meant
// for the program must never be taken, or default-killed, here), and it
// ends itself once no other thread of the process runs, so that a program
// whose main thread left with pthread_exit ends when its last thread does
// (glibc calls exit(0) on the last thread to end: ours, then). It does not
// end when the program is merely back to one thread: what is recorded from
// then on would reach the file only at exit (a kill would lose it all), and
// a program that keeps creating and joining threads would pay for a new
// drain each time. The calls that need a single-threaded process (unshare,
// setns) stop it themselves (session::before_namespace_change).
//
// It starts lazily: a single-threaded program stays single-threaded (glibc
// then takes cheaper paths in every lock call) until it creates a thread
// itself, or its records fill a quarter of a ring (the ring pressure
// response, which the drain owns).
#pragma once

#include "output/count_snapshots.h"
#include "output/prometheus_file.h"
#include "output/trace_writer.h"
#include "thread/thread_registry.h"

#include <contend/trace_format.h>

#include <pthread.h>
#include <atomic>
#include <cstdint>
#include <new>
#include <vector>

namespace contend::preload {

class Drain {
 public:
  // The rings to empty and the file to fill. `period_ms` 0: never a thread
  // (tests drain by hand). `before_first_pass`, if given, runs on the new
  // thread first (a forked child opens its trace there); false ends the
  // thread. Installs the ring pressure response, and allows lazy starts.
  void bind(ThreadRegistry* registry, TraceWriter* writer, uint32_t period_ms, bool (*before_first_pass)());

  // The program needs the thread now (its first thread of its own): starts
  // it unless it runs, or is claimed by a stop, pause or checkpoint.
  void start_lazily();
  // A ring is a quarter full: start the thread, or wake it.
  void on_ring_pressure();
  // Whether the thread runs or is claimed (lazy starts refused meanwhile).
  bool claimed() const { return claimed_.load(std::memory_order_acquire); }

  // Stops the thread for good: no lazy start until the next bind.
  void stop();
  // Stops the thread and keeps it claimed (no lazy start) until resume();
  // returns whether it was running or claimed before.
  bool pause();
  void resume(bool was_running);
  // Stops the thread; it starts again lazily, when the program next needs it.
  void stop_until_needed();

  // One pass over every thread; flushes the file.
  void drain_once();

  // The last pass: every thread is finished (running ones flagged as such),
  // then the footer. The drain thread must be stopped first.
  void finish(format::FooterReason reason);

  // Before exec: everything so far on disk, running threads' counters
  // snapshotted and their pending blame (summed releases) written, and a
  // footer, without ending any thread (if exec fails, recording simply goes
  // on and a later footer supersedes this one). The drain thread must be
  // stopped first.
  void checkpoint(format::FooterReason reason);

  // From any thread, cheaply: run a pass now rather than at the end of the
  // period. Only the first request per pass makes a system call.
  void request_pass();
  // In a forked child the thread is gone; forget it without joining (a
  // lazy start may follow). Its containers may have been half-way through
  // growing at the fork: they start empty, the parent's memory left alone.
  // `keep_recording` false: no lazy start either.
  void forget_thread(bool keep_recording) {
    running_ = false;
    enabled_.store(keep_recording, std::memory_order_relaxed);
    claimed_.store(false, std::memory_order_relaxed);
    wake_requested_.store(false, std::memory_order_relaxed);
    dropped_total_ = 0;
    prometheus_file().forget();
    new (&thread_drops_) std::vector<format::ThreadDrops>();
    new (&changed_counts_) std::vector<format::LockCountsRecord>();
  }

 private:
  bool start_thread();
  // Joins the thread; from the thread itself (exit handlers run on it once
  // it ended itself as the last thread) only forgets it.
  void stop_thread();
  static void* thread_main(void* self);
  // True when no thread of the process but this one runs any more.
  bool last_thread_left() const;

  enum class Counts { kNone, kChanged, kAll };
  // Exited threads finished, running ones' rings copied (and their counters
  // written: the changed ones, or all).
  void sweep(Counts counts);
  void write_changed_counts(const ThreadState& t);
  void copy_ring(ThreadState& t);
  void finish_thread(ThreadState& t, bool still_running);
  void write_clock_sync();
  void scan_modules(bool force);
  void write_counts(const ThreadState& t);
  // What could not be recorded (QUALITY), then the footer.
  void write_quality();
  void write_footer(format::FooterReason reason);

  ThreadRegistry* registry_ = nullptr;
  TraceWriter* writer_ = nullptr;
  uint64_t dropped_total_ = 0;
  std::vector<format::ThreadDrops> thread_drops_;  // for the footer
  uint32_t period_ms_ = 0;
  bool (*before_first_pass_)() = nullptr;
  CountSnapshots snapshots_;
  std::vector<format::LockCountsRecord> changed_counts_;  // reused
  uint64_t last_snapshot_ = 0;                            // ticks
  uint64_t snapshot_gap_ = 0;                             // ticks until the next one
  uint64_t snapshot_records_ = 0;
  std::atomic<uint32_t> stop_word_{0};
  // The drain thread sleeps on wake_seq_ (a futex word): a request or stop
  // bumps it, so one made during a pass ends the next sleep at once.
  alignas(4) std::atomic<uint32_t> wake_seq_{0};
  std::atomic<bool> wake_requested_{false};
  pthread_t thread_{};
  bool running_ = false;  // a thread exists (touched by one thread at a time)
  // Lazy starts allowed (bound, not stopped).
  std::atomic<bool> enabled_{false};
  // The thread runs, or whoever set this is about to start, stop or
  // replace it: nobody else may start one (a second consumer of the rings).
  std::atomic<bool> claimed_{false};
};

}  // namespace contend::preload
