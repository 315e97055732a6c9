#include "aggregate/hold_estimate.h"

#include <algorithm>

namespace contend::analyze {

HoldEstimate estimate_holds(const LockData& lock, format::WaitKind kind, uint64_t wall_ticks,
                            uint32_t readers, uint64_t one_ms_ticks) {
  HoldEstimate e;
  const Histogram& weighted = lock.holds;
  if (weighted.count() == 0) return e;
  e.long_threshold_ticks = std::max(one_ms_ticks, 10 * weighted.quantile(0.9));
  lock.hold_samples_by_duration.for_each_bucket([&](uint64_t low, uint64_t, uint64_t n) {
    if (low >= e.long_threshold_ticks) e.long_holds += n;
  });
  // Per holding thread (threads sample at their own intervals), the
  // samples' mean, each weighed by its interval, times the holds they stand
  // for, at most the thread's acquisitions of the lock.
  FlatMap<uint64_t> acquired;  // by tid
  lock.counts.for_each([&](uint64_t key, const LockCounts& c) { acquired[key >> 32] += c.acquisitions; });
  double total = 0;
  lock.holds_by_tid.for_each([&](uint64_t tid, const LockData::ThreadHolds& t) {
    if (t.weight == 0) return;
    const uint64_t* known = acquired.find(tid);
    uint64_t holds = known != nullptr && *known != 0 ? std::min(*known, t.weight) : t.weight;
    e.holds += holds;
    total +=
        static_cast<double>(t.weighted_ticks) / static_cast<double>(t.weight) * static_cast<double>(holds);
  });
  // One holder at a time, except on a read side.
  double bound = static_cast<double>(wall_ticks) *
                 (kind == format::WaitKind::kRwlockRead ? std::max<uint32_t>(readers, 1) : 1);
  if (wall_ticks != 0 && total > bound) {
    total = bound;
    e.bounded = true;
  }
  e.total_ticks = static_cast<uint64_t>(total);
  e.scale = weighted.sum() == 0 ? 0 : total / static_cast<double>(weighted.sum());
  return e;
}

}  // namespace contend::analyze
