// A log-linear histogram of durations: 16 linear sub-buckets per power of
// two; a percentile is the middle of its bucket, within 1/32 (3%) of the
// true value. Counters
// are kept only for the span of buckets actually used (a few hundred for
// real lock timings), so memory stays small per lock and call site. Values
// are in whatever unit they are added in (ticks, here); min, max and sum
// are exact.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace contend::analyze {

class Histogram {
 public:
  static constexpr int kSubBits = 4;
  static constexpr int kSub = 1 << kSubBits;

  void add(uint64_t value, uint64_t count = 1);
  void merge(const Histogram& other);

  uint64_t count() const { return count_; }
  uint64_t sum() const { return sum_; }
  uint64_t min() const { return count_ == 0 ? 0 : min_; }
  uint64_t max() const { return max_; }
  // The value at `q` (0..1): the middle of the bucket holding that rank,
  // clamped to [min, max].
  uint64_t quantile(double q) const;
  // How many values are at most `bound`, to the bucket (a bucket counts
  // when its middle is): within 1/32 of `bound`, like the quantiles.
  uint64_t count_at_most(uint64_t bound) const;

  // fn(low, high, count) for every bucket that has counts, low first.
  template <typename Fn>
  void for_each_bucket(Fn&& fn) const {
    for (size_t i = 0; i < counts_.size(); ++i)
      if (counts_[i] != 0)
        fn(bucket_low(first_ + static_cast<int>(i)), bucket_high(first_ + static_cast<int>(i)), counts_[i]);
  }

  static int bucket_of(uint64_t value);
  static uint64_t bucket_low(int bucket);
  static uint64_t bucket_high(int bucket);  // exclusive

 private:
  void cover(int bucket);  // makes counts_ span `bucket`

  std::vector<uint64_t> counts_;  // counts_[i] is bucket first_ + i
  int first_ = 0;
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
};

}  // namespace contend::analyze
