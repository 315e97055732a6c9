#include "aggregate/aggregator.h"

#include "aggregate/event_rows.h"
#include "aggregate/lock_rows.h"
#include "aggregate/parallel_efficiency.h"
#include "aggregate/profile_stacks.h"
#include "aggregate/profiling_cost.h"
#include "aggregate/site_rows.h"
#include "aggregate/timeline.h"
#include "read/trace_error.h"
#include "symbolize/symbolizer.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <tuple>

namespace contend::analyze {

namespace {

// `end`: ticks at which threads without an end record stopped.
ThreadRow thread_row(const DecodedTrace& p, const ThreadData& t, uint64_t end) {
  ThreadRow row;
  row.pid = p.process.pid;
  row.tid = t.tid;
  row.creator_tid = t.creator_tid;
  row.name = t.name;
  row.start_ns = p.clock.since_start_ns(t.start_ticks);
  row.end_ns = p.clock.since_start_ns(t.end_ticks != 0 ? t.end_ticks : end);
  row.cpu_ns = t.cpu_ns;
  row.lock_wait_ns = p.clock.to_ns(t.lock_wait_ticks);
  row.ended = t.ended;
  row.running_at_exit = t.running_at_exit;
  return row;
}

// --from/--to: a thread's lifetime within the window (times since its
// process's start).
// Its CPU time is taken in proportion (the trace has only the total).
void clip(ThreadRow& row, uint64_t from, uint64_t to) {
  uint64_t life = row.lifetime_ns();
  row.start_ns = std::clamp(row.start_ns, from, to);
  row.end_ns = std::clamp(row.end_ns, row.start_ns, to);
  if (life != 0 && row.lifetime_ns() != life)
    row.cpu_ns = static_cast<uint64_t>(static_cast<double>(row.cpu_ns) *
                                       static_cast<double>(row.lifetime_ns()) / static_cast<double>(life));
}

}  // namespace

Aggregator::Aggregator(AggregateOptions options) : options_(options) {
  if (options_.profile) options_.decode.thread_stacks = true;
  options_.decode.time_buckets = options_.decode.time_buckets || options_.timeline;
}
Aggregator::~Aggregator() = default;

void Aggregator::add_trace(const std::string& path) {
  std::error_code size_error;
  if (std::filesystem::is_regular_file(path, size_error) &&
      std::filesystem::file_size(path, size_error) == 0 && !size_error) {
    empty_traces_.push_back(path);
    warnings_.push_back(
        fmt::format("{}: empty, skipped (its process ended before writing the file header, "
                    "e.g. killed right after it started)",
                    path));
    return;
  }
  DecodedTrace p = decode_trace(path, options_.decode, warnings_);
  if (origin_monotonic_ns_ == 0) {
    origin_monotonic_ns_ = p.clock.start_monotonic_ns();
    options_.decode.origin_monotonic_ns = origin_monotonic_ns_;
  }
  if (options_.only_pid != 0 && p.process.pid != options_.only_pid) return;
  // The same trace given twice (a glob and a name, a copy) is one process.
  for (const DecodedTrace& seen : processes_) {
    if (seen.process.pid == p.process.pid && seen.process.start_realtime_ns == p.process.start_realtime_ns &&
        seen.clock.start_ticks() == p.clock.start_ticks()) {
      warnings_.push_back(fmt::format("{}: the same trace as {} (pid {}): counted once", path,
                                      seen.process.trace_path, p.process.pid));
      return;
    }
  }
  processes_.push_back(std::move(p));
}

Report Aggregator::finish(const LockSelection& selection) {
  if (processes_.empty() && !empty_traces_.empty())
    throw TraceError(empty_traces_.front(), "empty: the process ended before writing the file header");
  Report report;
  report.grouping = options_.grouping;
  report.warnings = warnings_;
  Symbolizer symbolizer(options_.symbolize);
  LockWrappers wrappers(options_.wrappers);
  for (const DecodedTrace& p : processes_) CallSites(p, symbolizer, wrappers).learn_wrappers();
  ProfileStacks profile(report.profile, symbolizer, wrappers);
  Summary& sum = report.summary;
  sum.incomplete_traces += static_cast<uint32_t>(empty_traces_.size());  // skipped, never hidden
  std::vector<TraceTime> times;
  LockNames names(processes_.size());
  for (const DecodedTrace& p : processes_) {
    LockRows lock_rows(p, symbolizer, wrappers, options_.folded);
    FlatMap<uint64_t> event_ticks;  // by tid
    ProcessSummary proc{p.process};
    uint64_t end = p.end_ticks != 0 ? p.end_ticks : p.last_ticks;
    uint64_t acquisitions = proc.untracked_acquisitions;
    proc.wall_ns = p.clock.since_start_ns(end);
    TraceTime& time = times.emplace_back(p, origin_monotonic_ns_);
    // The window in this process's own time (since its start).
    auto own = [&](uint64_t ns) {
      int64_t v = static_cast<int64_t>(std::min<uint64_t>(ns, INT64_MAX)) - time.offset_ns;
      return std::min<uint64_t>(v < 0 ? 0 : static_cast<uint64_t>(v), proc.wall_ns);
    };
    uint64_t window_from = own(options_.decode.from_ns), window_to = own(options_.decode.to_ns);
    proc.wall_ns = window_to - window_from;
    for (const auto& [key, data] : p.locks) {
      LockRow row = lock_rows.row(key, data);
      if (options_.profile && is_lock_contention(row.kind) && !row.event) profile.add(p, data, row);
      names[times.size() - 1].emplace(key, row.name);
      if (row.event) {
        // Its waits were counted as each thread's lock wait while decoding.
        data.waits_by_tid.for_each([&](uint64_t tid, uint64_t ticks) { event_ticks[tid] += ticks; });
        sum.event_wait_ns += row.wait_total_ns;
        sum.event_waits += row.waits;
        report.events.push_back(std::move(row));
      } else if (is_lock_contention(row.kind)) {
        sum.counts += row.counts;
        acquisitions += row.counts.acquisitions;
        proc.wait_ns += row.wait_total_ns;
        report.locks.push_back(std::move(row));
      } else {
        report.cond_waits.push_back(std::move(row));
      }
    }
    for (const auto& [tid, t] : p.threads) {
      ThreadRow row = thread_row(p, t, end);
      if (p.window.limited()) {
        clip(row, window_from, window_to);
        if (row.lifetime_ns() == 0) continue;  // not alive in the window
      }
      if (const uint64_t* ticks = event_ticks.find(tid))
        row.lock_wait_ns -= std::min(row.lock_wait_ns, p.clock.to_ns(*ticks));
      proc.thread_time_ns += row.lifetime_ns();
      proc.cpu_ns += row.cpu_ns;
      ++proc.threads;
      report.threads.push_back(std::move(row));
    }
    sum.wall_ns = std::max(sum.wall_ns, proc.wall_ns);
    sum.threads += proc.threads;
    sum.wait_ns += proc.wait_ns;
    sum.thread_time_ns += proc.thread_time_ns;
    sum.dropped_events += proc.dropped_events;
    sum.dropped_waits += proc.dropped_by_kind[static_cast<uint8_t>(format::RecordKind::kWait)];
    sum.threads_unprofiled += proc.threads_unprofiled;
    sum.untracked_acquisitions += proc.untracked_acquisitions;
    sum.records_lost += proc.records_lost;
    sum.lock_registry_misses += proc.lock_registry_misses;
    add_profiling_cost(sum, proc, acquisitions);
    if (proc.truncated || !proc.complete) ++sum.incomplete_traces;
    if (proc.dropped_events > 0)
      report.warnings.push_back(
          fmt::format("{}: {} events were dropped because a ring was full; counts of "
                      "contention are lower bounds (raise CONTEND_RING_KB)",
                      proc.trace_path, proc.dropped_events));
    report.processes.push_back(std::move(proc));
  }
  sum.processes = static_cast<uint32_t>(processes_.size());
  for (const ProcessSummary& p : report.processes) sum.pids.push_back(p.pid);
  if (!report.processes.empty()) {
    const ProcessSummary& first = report.processes.front();
    sum.program = first.argv.empty() ? first.exe_path : first.argv.front();
  }
  sum.contention_pct = sum.thread_time_ns == 0 ? 0
                                               : 100.0 * static_cast<double>(sum.wait_ns) /
                                                     static_cast<double>(sum.thread_time_ns);
  finish_profiling_cost(report);
  judge_parallel_efficiency(report.threads, sum);
  for (LockRow& row : report.locks) {
    row.share_of_wait =
        sum.wait_ns == 0 ? 0.0 : static_cast<double>(row.wait_total_ns) / static_cast<double>(sum.wait_ns);
    row.share_of_thread_time = sum.thread_time_ns == 0 ? 0.0
                                                       : static_cast<double>(row.wait_total_ns) /
                                                             static_cast<double>(sum.thread_time_ns);
  }
  std::sort(report.locks.begin(), report.locks.end(), by_wait);
  std::sort(report.cond_waits.begin(), report.cond_waits.end(), by_wait);
  std::sort(report.events.begin(), report.events.end(), by_wait);
  select_locks(report.locks, selection);
  select_locks(report.cond_waits, selection);
  select_locks(report.events, selection);
  report.sites = group_by_site(report.locks, sum.wait_ns);
  warn_of_short_holds(report);
  std::sort(report.threads.begin(), report.threads.end(), [](const ThreadRow& a, const ThreadRow& b) {
    return std::tie(b.lock_wait_ns, a.pid, a.tid) < std::tie(a.lock_wait_ns, b.pid, b.tid);
  });
  if (options_.timeline)
    report.timeline =
        build_timeline(times, names, {options_.decode.from_ns, options_.decode.to_ns, options_.interval_ns});
  if (options_.decode.max_events != 0) report.slices = build_event_rows(times, names, symbolizer, wrappers);
  for (const std::string& w : symbolizer.warnings()) report.warnings.push_back(w);
  return report;
}

}  // namespace contend::analyze
