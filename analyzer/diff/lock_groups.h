// What survives a rerun: a run's locks grouped by name and kind (addresses
// move between runs; several locks created on one line, such as 64 shards,
// are one group), and its waiting call sites by key (the function).
#pragma once

#include "model/lock_counts.h"
#include "report/report.h"

#include <contend/trace_format.h>

#include <cstdint>
#include <string>
#include <vector>

namespace contend::analyze {

// One group's figures in one run. Counts and times are sums over its locks;
// p50 and p99 are the largest of its locks' (one lock: its own).
struct LockFigures {
  uint32_t locks = 0;  // 0: the group is not in this run
  LockCounts counts;
  uint64_t waits = 0;
  uint64_t wait_ns = 0;
  uint64_t wait_p50_ns = 0;
  uint64_t wait_p99_ns = 0;
  uint64_t wait_max_ns = 0;
  uint64_t hold_samples = 0;
  uint64_t hold_ns = 0;  // estimated over all acquisitions
  double share_of_wait = 0;
  double share_of_thread_time = 0;
  uint64_t operations = 0;  // the run's, 0 = unknown

  bool present() const { return locks > 0; }
  double per_op(double value) const {
    return operations == 0 ? 0.0 : value / static_cast<double>(operations);
  }
};

struct LockGroup {
  std::string name;
  format::WaitKind kind = format::WaitKind::kMutex;
  LockFigures figures;
};

// One waiting call site's figures in one run, over every lock waited for there.
struct SiteFigures {
  bool present = false;
  uint64_t waits = 0;
  uint64_t wait_ns = 0;
  uint64_t max_ns = 0;
  double share = 0;  // of all lock wait in the run
  std::string lock;  // the lock waited for most there
};

struct SiteGroup {
  std::string key;    // CallSite::key: the function, or module+offset
  std::string label;  // "function (file:line)"
  SiteFigures figures;
};

// The report's locks by (name, kind), in that order.
std::vector<LockGroup> group_locks(const Report& report, uint64_t operations = 0);

// The report's waiting call sites by key, in key order.
std::vector<SiteGroup> group_sites(const Report& report);

}  // namespace contend::analyze
