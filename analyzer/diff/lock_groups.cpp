#include "diff/lock_groups.h"

#include <algorithm>
#include <map>
#include <utility>

namespace contend::analyze {

std::vector<LockGroup> group_locks(const Report& report, uint64_t operations) {
  std::map<std::pair<std::string, uint8_t>, LockFigures> groups;
  for (const LockRow& l : report.locks) {
    LockFigures& f = groups[{l.name, static_cast<uint8_t>(l.kind)}];
    ++f.locks;
    f.counts += l.counts;
    f.waits += l.waits;
    f.wait_ns += l.wait_total_ns;
    f.wait_p50_ns = std::max(f.wait_p50_ns, l.wait_p50_ns);
    f.wait_p99_ns = std::max(f.wait_p99_ns, l.wait_p99_ns);
    f.wait_max_ns = std::max(f.wait_max_ns, l.wait_max_ns);
    f.hold_samples += l.hold.samples;
    f.hold_ns += l.hold.total_ns;
    f.share_of_wait += l.share_of_wait;
    f.share_of_thread_time += l.share_of_thread_time;
    f.operations = operations;
  }
  std::vector<LockGroup> out;
  for (auto& [key, figures] : groups)
    out.push_back({key.first, static_cast<format::WaitKind>(key.second), std::move(figures)});
  return out;
}

std::vector<SiteGroup> group_sites(const Report& report) {
  // Report::sites is merged by key already, over the same locks.
  std::vector<SiteGroup> out;
  for (const SiteRow& s : report.sites) {
    SiteGroup g{s.key, s.label, {true, s.count, s.ns, s.max_ns, s.share, s.lock}};
    out.push_back(std::move(g));
  }
  std::sort(out.begin(), out.end(), [](const SiteGroup& a, const SiteGroup& b) { return a.key < b.key; });
  return out;
}

}  // namespace contend::analyze
