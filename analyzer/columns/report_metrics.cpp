#include "columns/report_metrics.h"

#include <algorithm>

namespace contend::analyze {

namespace {

// The largest value of `field` over the report's locks (0 when none).
template <typename Field>
double max_over_locks(const Report& r, Field field) {
  double m = 0;
  for (const LockRow& l : r.locks) m = std::max(m, static_cast<double>(field(l)));
  return m;
}

}  // namespace

const std::vector<Metric>& report_metrics() {
  using R = const Report&;
  using L = const LockRow&;
  static const std::vector<Metric> metrics = {
      {"contention", MetricUnit::kPercent, "percent of thread time spent waiting on locks",
       [](R r) { return r.summary.contention_pct; }},
      {"lock_share", MetricUnit::kPercent, "the largest share of all lock wait held by one lock",
       [](R r) { return 100.0 * max_over_locks(r, [](L l) { return l.share_of_wait; }); }},
      {"p99", MetricUnit::kDuration, "the largest p99 single wait of any lock",
       [](R r) { return max_over_locks(r, [](L l) { return l.wait_p99_ns; }); }},
      {"max_wait", MetricUnit::kDuration, "the longest single wait of any lock",
       [](R r) { return max_over_locks(r, [](L l) { return l.wait_max_ns; }); }},
      {"wait", MetricUnit::kDuration, "total lock wait",
       [](R r) { return static_cast<double>(r.summary.wait_ns); }},
      {"contended", MetricUnit::kCount, "contended acquisitions",
       [](R r) { return static_cast<double>(r.summary.counts.contended); }},
      {"dropped", MetricUnit::kCount, "events lost to full rings",
       [](R r) { return static_cast<double>(r.summary.dropped_events); }},
  };
  return metrics;
}

const Metric* find_metric(std::string_view name) {
  for (const Metric& m : report_metrics())
    if (m.name == name) return &m;
  return nullptr;
}

std::string metric_names() {
  std::string out;
  for (const Metric& m : report_metrics()) out += (out.empty() ? "" : ", ") + std::string(m.name);
  return out;
}

}  // namespace contend::analyze
