// A run's totals as comparisons read them (diff, thread-count sweeps): the
// report's summary, the kernel round trips its locks cost, and, when the
// user says how many operations the run did, the figures per operation.
#pragma once

#include "report/report.h"

#include <cstdint>
#include <string>

namespace contend::analyze {

struct RunFigures {
  std::string program;  // the first process's command line
  uint32_t processes = 0;
  uint32_t threads = 0;
  uint64_t wall_ns = 0;  // the longest process
  uint64_t acquisitions = 0;
  uint64_t contended = 0;
  uint64_t wait_ns = 0;  // lock wait, condition waits excluded
  uint64_t thread_time_ns = 0;
  double contention_pct = 0;  // wait / thread time x 100
  // Waits that slept in the kernel: every recorded wait except a spinlock's
  // (glibc's mutexes, rwlocks and semaphores sleep in FUTEX_WAIT; futex
  // waits are that call itself).
  uint64_t futex_waits = 0;
  // Releases and wakes that found a thread waiting, each a FUTEX_WAKE that
  // wakes one (the recorder's blame records, once per lock).
  uint64_t futex_wakes = 0;
  uint64_t operations = 0;  // given by the user; 0 = unknown

  double contention_rate() const {
    return acquisitions == 0 ? 0.0 : static_cast<double>(contended) / static_cast<double>(acquisitions);
  }
  // `value` per operation; 0 when the number of operations is unknown.
  double per_op(double value) const {
    return operations == 0 ? 0.0 : value / static_cast<double>(operations);
  }
  // Operations per second of wall time; 0 when unknown.
  double throughput() const {
    return operations == 0 || wall_ns == 0
               ? 0.0
               : static_cast<double>(operations) * 1e9 / static_cast<double>(wall_ns);
  }
};

RunFigures run_figures(const Report& report, uint64_t operations = 0);

// The releases that found a waiter, counted once per lock (both sides of a
// reader-writer lock share their holders' list).
uint64_t futex_wakes_of(const std::vector<LockRow>& locks);

}  // namespace contend::analyze
