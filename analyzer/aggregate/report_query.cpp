#include "aggregate/report_query.h"

#include "columns/lock_columns.h"

#include <fmt/format.h>

#include <fnmatch.h>
#include <algorithm>
#include <map>
#include <stdexcept>
#include <tuple>

namespace contend::analyze {

namespace {

bool name_matches(const std::string& name, const std::string& pattern) {
  if (pattern.empty()) return true;
  if (pattern.find_first_of("*?[") != std::string::npos)
    return fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
  return name.find(pattern) != std::string::npos;
}

void filter_and_rank(std::vector<LockRow>& rows, const ReportQuery& q, const LockColumn& key) {
  std::erase_if(rows, [&](const LockRow& l) {
    return !name_matches(l.name, q.lock_pattern) || l.wait_total_ns < q.min_wait_ns;
  });
  std::stable_sort(rows.begin(), rows.end(), [&](const LockRow& a, const LockRow& b) {
    double va = key.sort_value(a), vb = key.sort_value(b);
    if (va != vb) return va > vb;
    return std::tie(b.wait_total_ns, a.pid, a.address) < std::tie(a.wait_total_ns, b.pid, b.address);
  });
}

}  // namespace

void apply_query(Report& report, const ReportQuery& query) {
  const LockColumn* key = sort_column(query.sort);
  if (key == nullptr) {
    std::string keys;
    for (const std::string& k : sort_keys()) keys += (keys.empty() ? "" : ", ") + k;
    throw std::invalid_argument(fmt::format("unknown sort key '{}' (one of: {})", query.sort, keys));
  }
  filter_and_rank(report.locks, query, *key);
  filter_and_rank(report.cond_waits, query, *key);
}

std::vector<SiteRow> site_view(const Report& report) {
  std::map<std::string, SiteRow> merged;
  std::map<std::string, uint64_t> best;  // the lock with most wait at each site
  for (const LockRow& l : report.locks) {
    for (const SiteRow& s : l.waiter_sites) {
      SiteRow& m = merged[s.key];
      if (m.count == 0) {
        m.key = s.key;
        m.function = s.function;
        m.file = s.file;
        m.line = s.line;
        m.label = s.label;
      }
      m.count += s.count;
      m.ns += s.ns;
      m.max_ns = std::max(m.max_ns, s.max_ns);
      if (s.ns >= best[s.key]) {
        best[s.key] = s.ns;
        m.lock = l.name;
      }
    }
  }
  std::vector<SiteRow> rows;
  for (auto& [k, s] : merged) {
    s.share = report.summary.wait_ns == 0
                  ? 0
                  : static_cast<double>(s.ns) / static_cast<double>(report.summary.wait_ns);
    rows.push_back(std::move(s));
  }
  std::sort(rows.begin(), rows.end(), [](const SiteRow& a, const SiteRow& b) {
    return std::tie(b.ns, a.label) < std::tie(a.ns, b.label);
  });
  return rows;
}

}  // namespace contend::analyze
