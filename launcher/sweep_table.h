// The figures of a thread-count sweep: each run's measurements, each
// count's medians with their spread, speedup and parallel efficiency, where
// scaling stops and which lock grows fastest. Computation only; the table,
// JSON and SVG writers lay these out.
#pragma once

#include "diff/lock_groups.h"
#include "diff/run_figures.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace contend::launch {

// One run of the program at one count.
struct SweepRun {
  unsigned threads = 0;
  unsigned index = 0;  // 1 .. repeat
  int exit_code = 0;
  uint64_t wall_ns = 0;                            // measured by the launcher
  double throughput = 0;                           // per second; 0 = unknown
  contend::analyze::RunFigures figures;            // from its traces (figures.operations: --ops)
  std::vector<contend::analyze::LockGroup> locks;  // by name and kind
  std::vector<std::string> traces;
  std::string output;  // file holding its stdout and stderr
};

struct Spread {
  double median = 0;
  double min = 0;
  double max = 0;
  // Half the range as a part of the median, in percent ("±3%").
  double half_range_pct() const { return median == 0 ? 0 : 50.0 * (max - min) / median; }
};

// A lock's median figures at one count.
struct SweepLock {
  std::string name;
  std::string kind;
  double thread_time_pct = 0;  // its wait as a part of all thread time, x 100
  double share = 0;            // of all lock wait, 0..1
  double wait_ns = 0;
  double contended = 0;
};

// One thread count: medians over its runs.
struct SweepPoint {
  unsigned threads = 0;
  size_t runs = 0;
  Spread wall_ns;
  Spread throughput;      // median 0: unknown
  double speedup = 0;     // against the first count
  double efficiency = 0;  // speedup / (threads / first count's threads)
  double contention_pct = 0;
  double futex_waits = 0;
  double futex_wakes = 0;
  double acquisitions = 0;
  double contended = 0;
  double wait_ns = 0;
  double operations = 0;         // 0: unknown
  std::vector<SweepLock> locks;  // by median share of all lock wait, largest first

  double per_op(double value) const { return operations == 0 ? 0 : value / operations; }
  const SweepLock* top_lock() const { return locks.empty() || locks[0].wait_ns == 0 ? nullptr : &locks[0]; }
};

// Where the sweep says scaling stops, and the lock that grows fastest.
struct ScalingVerdict {
  size_t stop = 0;  // index of the count where scaling stops (the last when it does not)
  bool still_rising = false;
  bool from_throughput = false;      // false: from wall time (the same work at every count)
  std::optional<SweepLock> fastest;  // largest rise in % of thread time waiting, first count -> last
  double fastest_from_pct = 0;
  std::string line;  // the sentence under the table
};

// Later counts must beat a count's throughput by this much for scaling to go on.
inline constexpr double kScalingGain = 1.05;

// Medians per count, in the order of `runs` (grouped by count, increasing).
std::vector<SweepPoint> sweep_points(const std::vector<SweepRun>& runs);

ScalingVerdict scaling_verdict(const std::vector<SweepPoint>& points);

}  // namespace contend::launch
