#include "aggregate/lock_selection.h"

#include <fnmatch.h>
#include <algorithm>
#include <tuple>

namespace contend::analyze {

namespace {

bool name_matches(const std::string& name, const std::string& pattern) {
  if (pattern.empty()) return true;
  if (pattern.find_first_of("*?[") != std::string::npos)
    return fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
  return name.find(pattern) != std::string::npos;
}

}  // namespace

bool by_wait(const LockRow& a, const LockRow& b) {
  return std::tie(b.wait_total_ns, b.counts.contended, a.pid, a.address, a.kind) <
         std::tie(a.wait_total_ns, a.counts.contended, b.pid, b.address, b.kind);
}

void select_locks(std::vector<LockRow>& rows, const LockSelection& selection) {
  std::erase_if(rows, [&](const LockRow& l) {
    return !name_matches(l.name, selection.name_pattern) || l.wait_total_ns < selection.min_wait_ns;
  });
  if (!selection.rank_by) return;
  std::stable_sort(rows.begin(), rows.end(), [&](const LockRow& a, const LockRow& b) {
    double va = selection.rank_by(a), vb = selection.rank_by(b);
    if (va != vb) return va > vb;
    return std::tie(b.wait_total_ns, a.pid, a.address) < std::tie(a.wait_total_ns, b.pid, b.address);
  });
}

}  // namespace contend::analyze
