// The live Prometheus file: CONTEND_PROM_FILE=PATH makes the drain thread
// rewrite PATH every CONTEND_PROM_MS (10 s) in the text exposition format,
// for node_exporter's textfile collector, and once more at exit.
//
// Only what the recorder knows, without symbolization in the host: each
// lock by its annotation (contend_name_lock) or its address, its kind and
// address; acquisitions, contended acquisitions, wait and estimated hold
// seconds, a histogram of waits; thread counts and dropped events. The
// names, labels and buckets are those of `contend-report -f prometheus`
// (include/contend/metrics.h); the address label joins a series with the
// report of the trace named by contend_process_info.
//
// Bounded: the first kMaxSeries locks that see contention (the most waited
// for first) get a series of their own for the life of the process;
// everything else is lock="other", per kind, which keeps what it showed of a
// lock before the lock got its series. So every series only ever grows, as
// a counter must, and the series of a kind sum to its totals.
//
// Written by the drain thread (or the exit path), never by an application
// thread: a temporary file created as the trace is (O_EXCL|O_NOFOLLOW, mode
// 0600) in the same directory, renamed over PATH. No allocation: fixed
// buffers mapped at session start.
#pragma once

#include "output/prometheus_counts.h"
#include "thread/thread_registry.h"

#include <cstddef>
#include <cstdint>

namespace contend::preload {

class PrometheusFile {
 public:
  static constexpr uint32_t kMaxSeries = 20;
  static constexpr size_t kMaxPath = 4096;
  static constexpr size_t kTextBytes = 256 << 10;

  // Session start. `pattern` "" leaves it off; "%p" becomes the pid.
  void configure(const char* pattern, uint32_t period_ms, uint64_t calib_ticks, uint64_t calib_ns);
  bool enabled() const { return enabled_; }

  // Drain: records copied out of a ring; a thread being finished.
  void observe(const std::byte* data, size_t size) {
    if (enabled_) counts_.observe(data, size);
  }
  void retire(const ThreadState& t) {
    if (enabled_) counts_.retire(t);
  }
  // Drain, after each pass: rewrites the file when the period has passed
  // (or at once: `now`). `trace_path` is named in contend_process_info.
  void maybe_write(ThreadRegistry& registry, const char* trace_path, uint64_t dropped, bool now);
  // Forked child: the parent's counts are not ours (cleared at next use).
  void forget() { forgotten_ = true; }

 private:
  void write(ThreadRegistry& registry, const char* trace_path, uint64_t dropped);
  bool replace_file(const char* text, size_t size);
  void fail(const char* what, const char* path, int error);

  PromCounts counts_;
  PromTotals other_published_[format::kWaitKindCount] = {};
  char pattern_[kMaxPath] = {};
  char* text_ = nullptr;  // kTextBytes, mapped
  uint64_t period_ns_ = 0;
  uint64_t last_write_ns_ = 0;
  uint32_t admitted_ = 0;
  bool enabled_ = false;
  bool forgotten_ = false;
};

PrometheusFile& prometheus_file();

}  // namespace contend::preload
