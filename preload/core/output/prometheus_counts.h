// Per-lock totals for the live Prometheus file (CONTEND_PROM_FILE), kept by
// the drain thread from what passes through it: WAIT, HOLD and LOCK_NAME
// records from the rings, the counts a thread spills into its ring (a full
// table, a lock's old generation), and the tables of threads that end.
// Running threads' tables are read when the file is written.
//
// Drain only: no locks. A fixed table in its own mapping (no allocation after
// init, nothing half-grown at a fork); locks past its capacity, and a
// thread's untracked acquisitions, count under "other" of their kind.
#pragma once

#include "thread/thread_state.h"

#include <contend/metrics.h>
#include <contend/trace_format.h>

#include <cstddef>
#include <cstdint>

namespace contend::preload {

struct PromTotals {
  uint64_t acquisitions = 0;
  uint64_t contended = 0;
  uint64_t waits = 0;
  uint64_t wait_ticks = 0;
  uint64_t hold_ticks = 0;  // sampled holds x their sampling interval
  uint64_t buckets[metrics::kWaitBuckets] = {};

  void add(const PromTotals& o, int sign = 1);
};

struct PromLock {
  uint64_t key = 0;      // LockTable key (address << 8 | kind); 0 = empty
  PromTotals retired;    // counts no live table holds any more, waits, holds
  PromTotals live;       // running threads' counts, summed at each write
  PromTotals baseline;   // what "other" has shown of it (kept once it has a series)
  PromTotals published;  // last written: counters never go back
  bool admitted = false;
};

class PromCounts {
 public:
  static constexpr uint32_t kCapacity = 4096;  // power of two
  static constexpr uint32_t kNames = 256;
  static constexpr uint32_t kNameBytes = 64;

  // Maps the table (once per process) and empties it. False when memory is short.
  bool init(uint64_t calib_ticks, uint64_t calib_ns);
  void clear();
  bool ready() const { return locks_ != nullptr; }

  // Records as the drain copies them out of a ring.
  void observe(const std::byte* data, size_t size);
  // A thread whose table is being finished: its counts become retired.
  void retire(const ThreadState& t);
  // Sums running threads' tables into each lock's `live`.
  template <typename ForEachThread>
  void collect_live(ForEachThread&& for_each_thread) {
    for (uint32_t i = 0; i < kCapacity; ++i) locks_[i].live = PromTotals{};
    for (PromTotals& o : overflow_live_) o = PromTotals{};
    for_each_thread([&](const ThreadState& t) { add_table(t, false); });
  }

  PromLock* locks() { return locks_; }
  // Acquisitions of locks without an entry, by kind (counts of running
  // threads included after collect_live).
  PromTotals overflow_total(uint32_t kind) const;
  // The annotation of `address`, or nullptr.
  const char* name_of(uint64_t address) const;
  uint64_t ticks_to_ns(uint64_t ticks) const;

 private:
  PromLock* entry(uint64_t key);  // nullptr: no room
  PromTotals& totals_for(uint64_t key, bool live);
  void add_table(const ThreadState& t, bool retire);
  void add_counts(uint64_t key, uint64_t acquisitions, uint64_t contended, bool live);
  void wait(const format::WaitRecord& r);
  void name(const std::byte* record, size_t size);

  struct Name {
    uint64_t address;
    char text[kNameBytes];
  };
  PromLock* locks_ = nullptr;
  Name* names_ = nullptr;
  PromTotals overflow_[format::kWaitKindCount] = {};       // retired and observed, by kind
  PromTotals overflow_live_[format::kWaitKindCount] = {};  // running threads' counts
  uint64_t bucket_ticks_[metrics::kWaitBuckets] = {};
  double ns_per_tick_ = 1;
};

}  // namespace contend::preload
