#include "aggregate/parallel_efficiency.h"

#include <algorithm>

namespace contend::analyze {

void judge_parallel_efficiency(const std::vector<ThreadRow>& threads, Summary& summary) {
  uint64_t busiest = 0;
  for (const ThreadRow& t : threads) busiest = std::max(busiest, t.cpu_ns);
  uint64_t on_cpu = 0, lifetime = 0;
  uint32_t workers = 0;
  for (const ThreadRow& t : threads) {
    if (t.cpu_ns == 0 || static_cast<double>(t.cpu_ns) < kWorkerShareOfBusiest * static_cast<double>(busiest))
      continue;
    ++workers;
    on_cpu += std::min(t.cpu_ns, t.lifetime_ns());
    lifetime += t.lifetime_ns();
  }
  summary.efficiency_threads = workers;
  summary.efficiency_judged = summary.wall_ns >= kShortestJudgedRunNs && lifetime > 0;
  summary.parallel_efficiency =
      summary.efficiency_judged ? static_cast<double>(on_cpu) / static_cast<double>(lifetime) : 0.0;
}

}  // namespace contend::analyze
