#include "model/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace contend::analyze {

int Histogram::bucket_of(uint64_t value) {
  if (value < kSub) return static_cast<int>(value);
  int exponent = 63 - std::countl_zero(value);  // >= kSubBits
  int shift = exponent - kSubBits;
  auto sub = static_cast<int>((value >> shift) & (kSub - 1));
  return (shift + 1) * kSub + sub;
}

uint64_t Histogram::bucket_low(int bucket) {
  if (bucket < kSub) return static_cast<uint64_t>(bucket);
  int shift = bucket / kSub - 1;
  uint64_t sub = static_cast<uint64_t>(bucket % kSub);
  return (uint64_t{kSub} + sub) << shift;
}

uint64_t Histogram::bucket_high(int bucket) {
  if (bucket < kSub) return static_cast<uint64_t>(bucket) + 1;
  int shift = bucket / kSub - 1;
  return bucket_low(bucket) + (uint64_t{1} << shift);
}

void Histogram::cover(int bucket) {
  if (counts_.empty()) {
    first_ = bucket;
    counts_.assign(1, 0);
  } else if (bucket < first_) {
    counts_.insert(counts_.begin(), static_cast<size_t>(first_ - bucket), 0);
    first_ = bucket;
  } else if (bucket >= first_ + static_cast<int>(counts_.size())) {
    counts_.resize(static_cast<size_t>(bucket - first_ + 1), 0);
  }
}

void Histogram::add(uint64_t value, uint64_t count) {
  if (count == 0) return;
  int b = bucket_of(value);
  auto i = static_cast<size_t>(b - first_);
  if (i >= counts_.size()) [[unlikely]] {  // also when b < first_ (wraps) or empty
    cover(b);
    i = static_cast<size_t>(b - first_);
  }
  counts_[i] += count;
  count_ += count;
  sum_ += value * count;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

void Histogram::merge(const Histogram& other) {
  if (other.count_ == 0) return;
  cover(other.first_);
  cover(other.first_ + static_cast<int>(other.counts_.size()) - 1);
  for (size_t i = 0; i < other.counts_.size(); ++i)
    counts_[static_cast<size_t>(other.first_ - first_) + i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

uint64_t Histogram::quantile(double q) const {
  if (count_ == 0) return 0;
  auto rank = static_cast<uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(count_)));
  if (rank == 0) rank = 1;
  uint64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      int b = first_ + static_cast<int>(i);
      uint64_t mid = bucket_low(b) + (bucket_high(b) - bucket_low(b)) / 2;
      return std::clamp(mid, min_, max_);
    }
  }
  return max_;
}

uint64_t Histogram::count_at_most(uint64_t bound) const {
  uint64_t n = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    int b = first_ + static_cast<int>(i);
    if (bucket_low(b) + (bucket_high(b) - bucket_low(b)) / 2 > bound) break;
    n += counts_[i];
  }
  return n;
}

}  // namespace contend::analyze
