// Converts a trace's ticks to nanoseconds.
//
// The header carries a short calibration measured at start-up; ClockSync
// records and the footer add (ticks, CLOCK_MONOTONIC) pairs. The longest
// baseline available (header pair to last pair) gives the rate.
#pragma once

#include "model/saturating.h"

#include <contend/trace_format.h>

#include <cstdint>

namespace contend::analyze {

class ClockModel {
 public:
  void set_header(const format::FileHeader& h) {
    start_ticks_ = h.start_ticks;
    start_ns_ = h.start_monotonic_ns;
    // A damaged header may say 0: fall back to 1:1 rather than divide by it.
    header_ticks_ = h.calib_ticks != 0 ? h.calib_ticks : 1;
    header_ns_ = h.calib_ns != 0 ? h.calib_ns : 1;
    last_ticks_ = h.start_ticks;
    last_ns_ = h.start_monotonic_ns;
  }

  // A later (ticks, monotonic ns) pair.
  void add_sync(uint64_t ticks, uint64_t monotonic_ns) {
    if (ticks > last_ticks_ && monotonic_ns > last_ns_) {
      last_ticks_ = ticks;
      last_ns_ = monotonic_ns;
    }
  }

  // Nanoseconds per tick as a ratio (num / den).
  double ns_per_tick() const {
    // Below 10 ms of baseline the start-up measurement is the better one.
    if (last_ns_ - start_ns_ >= 10000000ull && last_ticks_ > start_ticks_)
      return static_cast<double>(last_ns_ - start_ns_) / static_cast<double>(last_ticks_ - start_ticks_);
    return static_cast<double>(header_ns_) / static_cast<double>(header_ticks_);
  }

  // Saturates: a damaged trace's absurd tick counts must not overflow.
  uint64_t to_ns(uint64_t ticks) const {
    return round_saturating(static_cast<double>(ticks) * ns_per_tick());
  }

  // The inverse, saturating the same way (a wait histogram's bucket bounds).
  uint64_t to_ticks(uint64_t ns) const { return round_saturating(static_cast<double>(ns) / ns_per_tick()); }

  // Time since the start of the trace.
  uint64_t since_start_ns(uint64_t ticks) const {
    return ticks > start_ticks_ ? to_ns(ticks - start_ticks_) : 0;
  }

  uint64_t start_ticks() const { return start_ticks_; }
  uint64_t start_monotonic_ns() const { return start_ns_; }
  uint64_t last_ticks() const { return last_ticks_; }

 private:
  uint64_t start_ticks_ = 0;
  uint64_t start_ns_ = 0;
  uint64_t header_ticks_ = 1;
  uint64_t header_ns_ = 1;
  uint64_t last_ticks_ = 0;
  uint64_t last_ns_ = 0;
};

}  // namespace contend::analyze
