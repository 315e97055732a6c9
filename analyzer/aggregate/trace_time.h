// One decoded trace on the report's common clock: nanoseconds since the
// origin (the first trace's start on CLOCK_MONOTONIC), so that the
// processes of a forked family line up.
#pragma once

#include "model/decoded_trace.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace contend::analyze {

struct TraceTime {
  const DecodedTrace* trace = nullptr;
  int64_t offset_ns = 0;  // the trace's start, since the origin

  TraceTime(const DecodedTrace& p, uint64_t origin_monotonic_ns)
      : trace(&p), offset_ns(offset(p.clock.start_monotonic_ns(), origin_monotonic_ns)) {}

  // start - origin, within +-2^61 (damaged headers must not overflow).
  static int64_t offset(uint64_t start, uint64_t origin) {
    uint64_t d = std::min<uint64_t>(start >= origin ? start - origin : origin - start, INT64_MAX / 4);
    return start >= origin ? static_cast<int64_t>(d) : -static_cast<int64_t>(d);
  }

  // A time in ticks, since the origin (0 for anything before it).
  // Saturates: a damaged trace's absurd times must not wrap around.
  uint64_t at(uint64_t ticks) const {
    uint64_t since = std::min<uint64_t>(trace->clock.since_start_ns(ticks), INT64_MAX / 2);
    int64_t ns = static_cast<int64_t>(since) + offset_ns;
    return ns < 0 ? 0 : static_cast<uint64_t>(ns);
  }
  uint64_t start() const { return at(trace->clock.start_ticks()); }
  uint64_t end() const { return at(trace->end_ticks != 0 ? trace->end_ticks : trace->last_ticks); }
};

// Lock names of each trace (by its index), for rows that name a lock by key.
using LockNames = std::vector<std::unordered_map<LockKey, std::string, KeyHash>>;

}  // namespace contend::analyze
