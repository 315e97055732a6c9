// What a report is made of, after aggregation and symbolization: plain
// values in nanoseconds, independent of how they are rendered.
#pragma once

#include "model/lock_counts.h"
#include "model/process_info.h"
#include "report/profile.h"
#include "report/timeline.h"

#include <contend/trace_format.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace contend::analyze {

// Where a lock's name comes from, best first.
enum class NameSource { kAnnotation, kSymbol, kBirth, kAddress };

// As the JSON report spells it.
constexpr std::string_view name_source_name(NameSource s) {
  switch (s) {
    case NameSource::kAnnotation: return "annotation";
    case NameSource::kSymbol: return "symbol";
    case NameSource::kBirth: return "birth";
    case NameSource::kAddress: return "address";
  }
  return "address";
}

// A call site and what happened there.
struct SiteRow {
  std::string key;       // groups rows: the function, or module+offset (CallSite::key)
  std::string function;  // "" when unknown
  std::string file;
  int line = 0;
  std::string label;   // "acquire_slab (slab_pool.cpp:40)" or "libfoo.so+0x12", and " ← wrapper"
  std::string via;     // the lock wrapper the site called (full name), or ""
  uint64_t count = 0;  // waits, releases or hold samples
  uint64_t ns = 0;     // wait time, or wait caused
  uint64_t max_ns = 0;
  double share = 0;  // of the lock's total for this list (site grouping: of all lock wait)
  std::string lock;  // site grouping: the lock most waited for there
  // Hold sites only: percentiles of the sampled holds.
  uint64_t p50_ns = 0;
  uint64_t p99_ns = 0;
};

// A stack and its weight (wait ns, contended count or hold ns): frames root
// first, the lock itself last; no frame contains ';'.
struct FoldedStack {
  std::vector<std::string> frames;
  uint64_t weight = 0;
};

struct HoldStats {
  uint64_t samples = 0;          // holds timed
  uint64_t estimated_holds = 0;  // holds the estimate covers: the lock's acquisitions
  uint32_t sample_every = 0;     // one acquisition in N was timed (0: none)
  // Estimated over all acquisitions, and never more than possible
  // (aggregate/hold_estimate.h).
  uint64_t total_ns = 0;
  bool bounded = false;            // cut to the wall time (x readers for a read side)
  uint64_t long_holds = 0;         // samples at least long_threshold_ns, counted once each
  uint64_t long_threshold_ns = 0;  // 1 ms, or 10x the 90th percentile hold when that is longer
  uint64_t avg_ns = 0;
  uint64_t p50_ns = 0;
  uint64_t p99_ns = 0;
  uint64_t max_ns = 0;  // of the samples
};

struct LockRow {
  uint32_t pid = 0;
  uint64_t address = 0;
  uint32_t generation = 0;
  format::WaitKind kind = format::WaitKind::kMutex;
  std::string name;  // best name known
  NameSource name_source = NameSource::kAddress;
  std::string birth;  // "created in X (f.cpp:12)" / "first locked in X", or ""
  LockCounts counts;
  uint64_t waits = 0;  // wait records seen, timed-out ones included
  uint64_t wait_total_ns = 0;
  uint64_t wait_min_ns = 0;
  uint64_t wait_max_ns = 0;
  uint64_t wait_p50_ns = 0;
  uint64_t wait_p99_ns = 0;
  // Waits at most each of metrics::kWaitBucketsNs long (to 1/32).
  std::vector<uint64_t> wait_buckets;
  double share_of_wait = 0;         // of all lock wait in the report, 0..1
  double share_of_thread_time = 0;  // of all profiled threads' lifetime, 0..1
  HoldStats hold;
  uint64_t caused_ns = 0;             // waiting charged to this lock's holders (both sides)
  std::vector<SiteRow> waiter_sites;  // where threads waited, by wait
  std::vector<SiteRow> holder_sites;  // where the holders were, by wait caused
  std::vector<SiteRow> hold_sites;    // where it was acquired, by sampled hold time
  std::vector<FoldedStack> folded;    // filled only when asked for (AggregateOptions::folded)
  // Filled only when asked for (AggregateOptions::profile).
  std::vector<ProfileSample> profile;
  // A semaphore or futex waited on as an event, not contended as a lock
  // (aggregate/event_waits.h): listed in Report::events.
  bool event = false;

  uint64_t wait_avg_ns() const { return waits == 0 ? 0 : wait_total_ns / waits; }
  // Some thread waited for it: a hotspot, not just a lock.
  bool waited() const { return waits > 0 || counts.contended > 0; }
};

struct ThreadRow {
  uint32_t pid = 0;
  uint32_t tid = 0;
  uint32_t creator_tid = 0;
  std::string name;
  uint64_t start_ns = 0;  // since the start of its process's trace
  uint64_t end_ns = 0;
  uint64_t cpu_ns = 0;
  uint64_t lock_wait_ns = 0;
  bool ended = false;            // an end record was seen
  bool running_at_exit = false;  // still running when the process ended

  uint64_t lifetime_ns() const { return end_ns - std::min(start_ns, end_ns); }
  // Lock wait / lifetime, 0..1.
  double waiting_share() const {
    uint64_t life = lifetime_ns();
    return life == 0 ? 0.0 : static_cast<double>(lock_wait_ns) / static_cast<double>(life);
  }
};

// A process: what its trace says, and its totals.
struct ProcessSummary : ProcessInfo {
  uint64_t wall_ns = 0;
  uint32_t threads = 0;
  uint64_t thread_time_ns = 0;  // sum of thread lifetimes
  uint64_t cpu_ns = 0;          // sum of thread CPU time
  uint64_t wait_ns = 0;         // lock wait
};

struct Summary {
  std::string program;  // the first process's command
  std::vector<uint32_t> pids;
  uint64_t wall_ns = 0;  // longest process wall time
  uint32_t processes = 0;
  uint32_t threads = 0;
  LockCounts counts;           // of the lock contention locks
  uint64_t wait_ns = 0;        // lock contention wait, condition and event waits excluded
  uint64_t event_wait_ns = 0;  // waiting for events (Report::events)
  uint64_t event_waits = 0;
  uint64_t thread_time_ns = 0;
  double contention_pct = 0;  // lock wait / thread time x 100
  // CPU time / lifetime of the threads that did work, 0..1 (0 when not
  // judged: aggregate/parallel_efficiency.h).
  double parallel_efficiency = 0;
  uint32_t efficiency_threads = 0;  // the threads that did work
  bool efficiency_judged = false;   // false: the run was too short to judge
  uint64_t dropped_events = 0;
  uint64_t dropped_waits = 0;  // of which WAIT records: contention counts stay exact, wait times do not
  uint32_t threads_unprofiled = 0;
  uint32_t incomplete_traces = 0;       // truncated, without footer, or empty
  uint64_t untracked_acquisitions = 0;  // a thread's lock table had no slot for their lock
  uint64_t records_lost = 0;            // never reached a trace file (a write failed, the size limit)
  uint64_t lock_registry_misses = 0;    // locks looked up when the registry was full: no identity, no blame
  // What profiling added to thread time, estimated from the recorder's own
  // costs measured where it ran (aggregate/profiling_cost.h); known only
  // when every trace says what it cost.
  bool profiling_cost_known = false;
  uint64_t profiling_cost_ns = 0;
  double profiling_cost_pct = 0;  // of thread time
  uint64_t operations = 0;        // what the user says the run did (--ops); 0 = not given

  // `value` per operation, 0 when the operations are not given.
  double per_op(double value) const {
    return operations == 0 ? 0.0 : value / static_cast<double>(operations);
  }
};

// What the rows of a report are grouped by; the grouping a table or CSV
// lays out (--view). JSON carries every grouping (the time line when it was
// aggregated).
enum class Grouping { kLock, kSite, kThread, kTime };

struct Report {
  Grouping grouping = Grouping::kLock;
  Summary summary;
  std::vector<ProcessSummary> processes;
  std::vector<LockRow> locks;       // lock contention, ranked
  std::vector<LockRow> cond_waits;  // condition-variable waits, ranked
  std::vector<LockRow> events;      // semaphores and futexes waited on as events, ranked
  std::vector<SiteRow> sites;       // waiting call sites across the locks, ranked
  std::vector<ThreadRow> threads;
  std::vector<std::string> warnings;  // data-quality notes, one line each
  Profile profile;                    // what LockRow::profile refers to
  Timeline timeline;                  // filled when asked for (AggregateOptions::timeline)
  EventRows slices;                   // single waits and holds, when asked for (DecodeOptions::max_events)
};

}  // namespace contend::analyze
