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

// What the recorder adds to one recorded wait of this process, in ns: the
// wait's record, and its stack walked or reused in the mix the run had (0
// without a COST record or waits).
uint64_t recorder_ns_per_wait(const ProcessInfo& p);

// A lock whose median hold is this short against the recorder's work per
// wait is one whose convoy profiling can reshape: a waiter arrives later
// and its hold starts later by about that much, so fewer or more threads
// queue than without it (graph_cache's rwlock: 1.5x slower profiled once,
// faster now; docs/PERFORMANCE.md). The share of its wait a lock must have
// to be named, and the hold samples its median needs.
inline constexpr double kPerturbedHoldShare = 0.25;
inline constexpr double kPerturbedMinShareOfWait = 0.05;
inline constexpr uint64_t kPerturbedMinHoldSamples = 16;

// Once the locks are ranked: a warning naming the waited-for locks whose
// holds are that short. The thread-time estimate above cannot see this.
void warn_of_short_holds(Report& report);

}  // namespace contend::analyze
