// Parallel efficiency: how much of the threads' time was spent on a CPU,
// counted over the threads that did work (a main thread that only waits
// for its workers is not a worker), never above 100% (a thread's CPU time
// also counts the loading before the profiler started: it is capped at the
// thread's lifetime), and not judged for a run shorter than
// kShortestJudgedRunNs, where that loading outweighs the run itself.
#pragma once

#include "report/report.h"

#include <cstdint>
#include <vector>

namespace contend::analyze {

inline constexpr uint64_t kShortestJudgedRunNs = 50'000'000;

// A thread did work when its CPU time is at least this part of the
// busiest thread's.
inline constexpr double kWorkerShareOfBusiest = 0.01;

// Sets summary.parallel_efficiency, efficiency_threads and efficiency_judged
// (summary.wall_ns set).
void judge_parallel_efficiency(const std::vector<ThreadRow>& threads, Summary& summary);

}  // namespace contend::analyze
