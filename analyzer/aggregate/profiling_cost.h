// How much profiling added to the run: the recorder measures its own costs
// where it runs (a COST record: an uncontended lock/unlock pair, a recorded
// wait, a stack capture, a timed hold) and this multiplies them by what the
// run did. An estimate of added thread time, validated against plain and
// profiled runs of the bench programs and examples (docs/PERFORMANCE.md);
// the report warns when it is large enough to distort what it shows.
#pragma once

#include "report/report.h"

#include <cstdint>

namespace contend::analyze {

// Above this share of thread time the report warns.
inline constexpr double kProfilingCostWarnPct = 5.0;

// The estimate for one process, in ns (0 when its trace has no COST
// record). `acquisitions`: every lock acquisition it counted.
uint64_t estimate_profiling_cost_ns(const ProcessInfo& p, uint64_t acquisitions);

// Adds one process's estimate to the summary.
void add_profiling_cost(Summary& sum, const ProcessInfo& p, uint64_t acquisitions);

// Once every process is in: known or not, the share of thread time, and the
// warning when it is large.
void finish_profiling_cost(Report& report);

}  // namespace contend::analyze
