#include "model/time_buckets.h"

#include <algorithm>
#include <cstdint>

namespace contend::analyze {

namespace {

// Space-saving: a lock not among the kept ones replaces the least waited,
// inheriting its count (an upper bound for the newcomer).
void add_top(std::array<TimeBuckets::TopLock, TimeBuckets::kTopLocks>& top, const LockKey& key,
             uint64_t ticks) {
  TimeBuckets::TopLock* least = &top[0];
  for (TimeBuckets::TopLock& t : top) {
    if (t.ticks != 0 && t.key == key) {
      t.ticks += ticks;
      return;
    }
    if (t.ticks < least->ticks) least = &t;
  }
  least->key = key;
  least->ticks += ticks;
}

}  // namespace

void TimeBuckets::start(uint64_t origin, uint64_t width) {
  origin_ = origin;
  width_ = std::max<uint64_t>(1, width);
  buckets_.clear();
  buckets_.reserve(kBuckets);
}

size_t TimeBuckets::index(uint64_t ticks) const {
  uint64_t offset = ticks > origin_ ? ticks - origin_ : 0;
  return static_cast<size_t>(std::min<uint64_t>(offset / width_, kBuckets - 1));
}

uint64_t TimeBuckets::bucket_start(size_t i) const {
  uint64_t offset = i * width_;  // at most 2^63: the width stops at kMaxWidth
  return origin_ > UINT64_MAX - offset ? UINT64_MAX : origin_ + offset;
}

TimeBuckets::Bucket& TimeBuckets::at(uint64_t ticks) {
  uint64_t offset = ticks > origin_ ? ticks - origin_ : 0;
  // Past 2^63 ticks (a damaged trace's times) everything is the last bucket.
  while (offset / width_ >= kBuckets && width_ < kMaxWidth) widen();
  size_t i = index(ticks);
  if (i >= buckets_.size()) buckets_.resize(i + 1);
  return buckets_[i];
}

// Doubles the width: bucket i takes old buckets 2i and 2i+1.
void TimeBuckets::widen() {
  std::vector<Bucket> merged((buckets_.size() + 1) / 2);
  for (size_t i = 0; i < buckets_.size(); ++i) {
    Bucket& to = merged[i / 2];
    const Bucket& from = buckets_[i];
    to.wait_ticks += from.wait_ticks;
    to.waits += from.waits;
    to.acquisitions += from.acquisitions;
    to.contended += from.contended;
    for (const TopLock& t : from.top)
      if (t.ticks != 0) add_top(to.top, t.key, t.ticks);
  }
  buckets_ = std::move(merged);
  buckets_.reserve(kBuckets);
  width_ *= 2;
}

void TimeBuckets::add_wait(uint64_t start, uint64_t duration, const LockKey& key) {
  if (!active()) return;
  uint64_t end = start > UINT64_MAX - duration ? UINT64_MAX : start + duration;
  at(end).waits += 1;  // first: sizes the buckets for the whole wait
  uint64_t t = std::max(start, origin_);
  while (t < end) {
    size_t i = index(t);
    Bucket& b = buckets_[i];
    // The last bucket takes the rest; every step moves on.
    uint64_t bucket_end = i + 1 == kBuckets ? end : std::max(bucket_start(i + 1), t + 1);
    uint64_t part = std::min(end, bucket_end) - t;
    b.wait_ticks += part;
    add_top(b.top, key, part);
    t += part;
  }
}

void TimeBuckets::add_counts(uint64_t when, uint64_t acquisitions, uint64_t contended) {
  if (!active() || (acquisitions == 0 && contended == 0)) return;
  Bucket& b = at(when);
  b.acquisitions += acquisitions;
  b.contended += contended;
}

}  // namespace contend::analyze
