// Two runs compared: their totals side by side, their locks matched by name
// and kind and their waiting call sites by function, each with its figures
// before and after, and a verdict in words. Built by compare_runs
// (diff/compare_runs.h); the columns and renderers lay it out.
#pragma once

#include "diff/lock_groups.h"
#include "diff/run_figures.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace contend::analyze {

// Where a matched row was seen.
enum class Presence { kBoth, kNew, kVanished };

// As JSON and CSV spell it.
constexpr std::string_view presence_name(Presence p) {
  switch (p) {
    case Presence::kBoth: return "both";
    case Presence::kNew: return "new";
    case Presence::kVanished: return "vanished";
  }
  return "both";
}

// (after - before) / before in percent; 0 when both are 0, +infinity when
// only `after` is nonzero.
inline double change_pct(double before, double after) {
  if (before == 0) return after == 0 ? 0.0 : std::numeric_limits<double>::infinity();
  return 100.0 * (after - before) / before;
}

struct LockDiff {
  std::string name;
  format::WaitKind kind = format::WaitKind::kMutex;
  Presence presence = Presence::kBoth;
  LockFigures before;  // locks == 0 when new
  LockFigures after;   // locks == 0 when vanished

  int64_t wait_change_ns() const {
    return static_cast<int64_t>(after.wait_ns) - static_cast<int64_t>(before.wait_ns);
  }
};

struct SiteDiff {
  std::string key;
  std::string label;
  Presence presence = Presence::kBoth;
  SiteFigures before;
  SiteFigures after;

  int64_t wait_change_ns() const {
    return static_cast<int64_t>(after.wait_ns) - static_cast<int64_t>(before.wait_ns);
  }
};

// How a run-wide figure reads, and how its change is said.
enum class FigureUnit {
  kCount,       // 1,234
  kDuration,    // nanoseconds: 1.23 ms
  kPercent,     // already 0..100: 45.1%
  kFraction,    // 0..1: 8.7%
  kPerOp,       // a small ratio: 0.0206
  kPerSecond,   // operations per second: 2.16 M/s
  kDurationOp,  // nanoseconds per operation (a fraction of a nanosecond is kept)
};
enum class ChangeAs { kRelative, kPoints, kNone };

// One row of the side-by-side totals.
struct FigureDiff {
  std::string_view key;    // JSON and CSV name
  std::string_view label;  // table text
  FigureUnit unit = FigureUnit::kCount;
  ChangeAs change = ChangeAs::kRelative;
  double before = 0;
  double after = 0;

  // Relative changes in percent, points as after - before (in points of
  // the unit's percent); 0 for kNone.
  double change_value() const {
    switch (change) {
      case ChangeAs::kRelative: return change_pct(before, after);
      case ChangeAs::kPoints: return (after - before) * (unit == FigureUnit::kFraction ? 100.0 : 1.0);
      case ChangeAs::kNone: break;
    }
    return 0;
  }
};

struct DiffReport {
  std::vector<std::string> base_traces;
  std::vector<std::string> new_traces;
  RunFigures before;
  RunFigures after;
  std::vector<FigureDiff> figures;  // the totals, side by side
  std::vector<LockDiff> locks;      // by the size of the change in wait, largest first
  std::vector<SiteDiff> sites;      // likewise
  // The locks the verdict names (indices into `locks`): the largest change
  // in wait, and the next when it is at least a tenth of the first.
  std::vector<size_t> movers;
  std::vector<std::string> warnings;  // each run's, as "base: ..." and "new: ..."

  size_t count(Presence p) const {
    size_t n = 0;
    for (const LockDiff& l : locks) n += l.presence == p ? 1 : 0;
    return n;
  }
};

}  // namespace contend::analyze
