#include "aggregate/profiling_cost.h"

#include "columns/units.h"
#include "model/saturating.h"

#include <fmt/format.h>

#include <algorithm>

namespace contend::analyze {

uint64_t estimate_profiling_cost_ns(const ProcessInfo& p, uint64_t acquisitions) {
  if (!p.has_cost) return 0;
  const format::CostRecord& c = p.cost;
  // Every acquisition pays the uncontended pair; a recorded wait, a stack
  // capture and a timed hold pay their own costs on top.
  double ps = static_cast<double>(acquisitions) * static_cast<double>(c.pair_ps) +
              static_cast<double>(p.wait_records) * static_cast<double>(c.wait_ps) +
              static_cast<double>(p.stack_captures) * static_cast<double>(c.stack_ps) +
              static_cast<double>(p.stacks_reused) * static_cast<double>(c.reused_stack_ps) +
              static_cast<double>(p.hold_records) * static_cast<double>(c.hold_ps);
  return round_saturating(ps / 1000.0);  // a damaged COST record's prices can be absurd
}

void add_profiling_cost(Summary& sum, const ProcessInfo& p, uint64_t acquisitions) {
  sum.profiling_cost_ns += estimate_profiling_cost_ns(p, acquisitions);
}

void finish_profiling_cost(Report& report) {
  Summary& sum = report.summary;
  sum.profiling_cost_known = !report.processes.empty();
  for (const ProcessSummary& p : report.processes) sum.profiling_cost_known &= p.has_cost;
  sum.profiling_cost_pct = sum.thread_time_ns == 0 ? 0
                                                   : 100.0 * static_cast<double>(sum.profiling_cost_ns) /
                                                         static_cast<double>(sum.thread_time_ns);
  if (sum.profiling_cost_known && sum.profiling_cost_pct >= kProfilingCostWarnPct)
    report.warnings.push_back(fmt::format(
        "profiling added about {:.1f}% to thread time: waits and holds look longer than without it, "
        "and the program ran slower (CONTEND_STACK_DEPTH lowers the cost of each recorded wait)",
        sum.profiling_cost_pct));
}

uint64_t recorder_ns_per_wait(const ProcessInfo& p) {
  if (!p.has_cost || p.wait_records == 0) return 0;
  const format::CostRecord& c = p.cost;
  double ps = static_cast<double>(p.wait_records) * static_cast<double>(c.wait_ps) +
              static_cast<double>(p.wait_stacks_walked) * static_cast<double>(c.stack_ps) +
              static_cast<double>(p.stacks_reused) * static_cast<double>(c.reused_stack_ps);
  return round_saturating(ps / static_cast<double>(p.wait_records) / 1000.0);
}

void warn_of_short_holds(Report& report) {
  constexpr size_t kNamed = 3;
  std::vector<std::string> named;
  size_t more = 0;
  for (const LockRow& row : report.locks) {  // ranked by wait
    if (row.share_of_wait < kPerturbedMinShareOfWait || row.hold.samples < kPerturbedMinHoldSamples ||
        row.hold.p50_ns == 0)
      continue;
    auto proc = std::find_if(report.processes.begin(), report.processes.end(),
                             [&](const ProcessSummary& p) { return p.pid == row.pid; });
    if (proc == report.processes.end()) continue;
    uint64_t per_wait = recorder_ns_per_wait(*proc);
    if (static_cast<double>(per_wait) < kPerturbedHoldShare * static_cast<double>(row.hold.p50_ns)) continue;
    if (named.size() == kNamed) {
      ++more;
      continue;
    }
    named.push_back(fmt::format("{} (median hold {}, recorder {} per wait)", row.name,
                                format_duration(row.hold.p50_ns), format_duration(per_wait)));
  }
  if (named.empty()) return;
  std::string list = named.front();
  for (size_t i = 1; i < named.size(); ++i) list += "; " + named[i];
  if (more > 0) list += fmt::format("; and {} more", more);
  report.warnings.push_back(
      fmt::format("holds too short for the recorder's work at each wait: {}. How often and how long "
                  "threads wait for these locks can differ without profiling; compare the wall time "
                  "of a plain run",
                  list));
}

}  // namespace contend::analyze
