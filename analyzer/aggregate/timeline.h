// The time line: lock wait, acquisitions, threads alive and the most waited
// lock per interval, from each trace's time buckets (model/time_buckets.h),
// and the phases found in it (aggregate/phases.h).
#pragma once

#include "aggregate/trace_time.h"
#include "report/timeline.h"

#include <cstdint>
#include <vector>

namespace contend::analyze {

struct TimelineOptions {
  uint64_t from_ns = 0;         // the window, since the origin
  uint64_t to_ns = UINT64_MAX;  // clipped to the end of the last process
  uint64_t interval_ns = 0;     // 0: about 40 intervals
};

Timeline build_timeline(const std::vector<TraceTime>& traces, const LockNames& names,
                        const TimelineOptions& options);

// Intervals of `width` over [from, to): the model's buckets spread over them
// in proportion to their overlap.
std::vector<IntervalRow> interval_rows(const std::vector<TraceTime>& traces, const LockNames& names,
                                       uint64_t from, uint64_t to, uint64_t width);

// 1, 2 or 5 times a power of ten, at least `ns`.
uint64_t round_interval(uint64_t ns);

}  // namespace contend::analyze
