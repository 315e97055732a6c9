#include "diff/run_figures.h"

#include <set>
#include <tuple>

namespace contend::analyze {

uint64_t futex_wakes_of(const std::vector<LockRow>& locks) {
  std::set<std::tuple<uint32_t, uint64_t, uint32_t>> seen;  // pid, address, generation
  uint64_t wakes = 0;
  for (const LockRow& l : locks) {
    if (!seen.emplace(l.pid, l.address, l.generation).second) continue;
    for (const SiteRow& s : l.holder_sites) wakes += s.count;
  }
  return wakes;
}

RunFigures run_figures(const Report& report, uint64_t operations) {
  const Summary& s = report.summary;
  RunFigures f;
  if (!report.processes.empty()) {
    const ProcessSummary& first = report.processes.front();
    for (const std::string& word : first.argv) f.program += (f.program.empty() ? "" : " ") + word;
    if (f.program.empty()) f.program = first.exe_path;
  }
  f.processes = s.processes;
  f.threads = s.threads;
  f.wall_ns = s.wall_ns;
  f.acquisitions = s.counts.acquisitions;
  f.contended = s.counts.contended;
  f.wait_ns = s.wait_ns;
  f.thread_time_ns = s.thread_time_ns;
  f.contention_pct = s.contention_pct;
  for (const LockRow& l : report.locks)
    if (l.kind != format::WaitKind::kSpinlock) f.futex_waits += l.waits;
  f.futex_wakes = futex_wakes_of(report.locks);
  f.operations = operations;
  return f;
}

}  // namespace contend::analyze
