#include "aggregate/profiling_cost.h"

#include <fmt/format.h>

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
  return static_cast<uint64_t>(ps / 1000.0);
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

}  // namespace contend::analyze
