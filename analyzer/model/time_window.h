// --from/--to in a trace's ticks: which events a report keeps. Times are
// given in nanoseconds since an origin on CLOCK_MONOTONIC (the first trace's
// start), so that the processes of a forked family share one window.
#pragma once

#include <cstdint>
#include <limits>

namespace contend::analyze {

struct TimeWindow {
  uint64_t from_ticks = 0;
  uint64_t to_ticks = std::numeric_limits<uint64_t>::max();

  bool contains(uint64_t ticks) const { return ticks >= from_ticks && ticks < to_ticks; }
  bool limited() const { return from_ticks != 0 || to_ticks != std::numeric_limits<uint64_t>::max(); }
};

}  // namespace contend::analyze
