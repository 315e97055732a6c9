// Lock wait and acquisitions summed by time interval, for the time line:
// a fixed number of buckets whose width doubles (neighbours merged) when an
// event falls past the last one, so memory stays bounded however long the
// trace. Each bucket keeps its few most-waited locks (space-saving counts:
// exact for a lock that dominates its bucket, an upper bound otherwise).
#pragma once

#include "model/lock_key.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace contend::analyze {

class TimeBuckets {
 public:
  static constexpr size_t kBuckets = 1024;
  static constexpr size_t kTopLocks = 4;
  static constexpr uint64_t kMaxWidth = uint64_t{1} << 53;  // x kBuckets = 2^63 ticks

  struct TopLock {
    LockKey key{};
    uint64_t ticks = 0;
  };
  struct Bucket {
    uint64_t wait_ticks = 0;    // lock wait overlapping the bucket
    uint64_t waits = 0;         // waits that ended in it
    uint64_t acquisitions = 0;  // from count snapshots taken in it
    uint64_t contended = 0;
    std::array<TopLock, kTopLocks> top{};
  };

  // `origin`: ticks of bucket 0's start; `width`: initial bucket width.
  void start(uint64_t origin, uint64_t width);
  bool active() const { return width_ != 0; }

  // A lock wait: its ticks are spread over the buckets it overlaps.
  void add_wait(uint64_t start, uint64_t duration, const LockKey& key);
  // Acquisitions counted by a snapshot taken at `when`.
  void add_counts(uint64_t when, uint64_t acquisitions, uint64_t contended);

  uint64_t origin() const { return origin_; }
  uint64_t width() const { return width_; }
  // Buckets up to the last one that saw anything.
  const std::vector<Bucket>& buckets() const { return buckets_; }

 private:
  Bucket& at(uint64_t ticks);  // grows as needed
  size_t index(uint64_t ticks) const;
  uint64_t bucket_start(size_t i) const;
  void widen();

  uint64_t origin_ = 0;
  uint64_t width_ = 0;
  std::vector<Bucket> buckets_;
};

}  // namespace contend::analyze
