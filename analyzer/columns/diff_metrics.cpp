#include "columns/diff_metrics.h"

#include <algorithm>
#include <limits>

namespace contend::analyze {

namespace {

using D = const DiffReport&;

double as_double(uint64_t v) {
  return static_cast<double>(v);
}

// The largest rise of one lock's `field` (a new lock: its whole value; a
// vanished one cannot rise); 0 when none rose.
template <typename Field>
double largest_lock_rise(D d, Field field) {
  double m = 0;
  for (const LockDiff& l : d.locks) m = std::max(m, as_double(field(l.after)) - as_double(field(l.before)));
  return m;
}

// Throughput from the operation counts when both are known; otherwise the
// runs are taken to do the same work, and it goes as 1 / wall time.
double throughput_fall_pct(D d) {
  double before = d.before.throughput(), after = d.after.throughput();
  if (before == 0 || after == 0) {
    if (d.before.wall_ns == 0 || d.after.wall_ns == 0) return 0;
    before = 1.0 / as_double(d.before.wall_ns);
    after = 1.0 / as_double(d.after.wall_ns);
  }
  return 100.0 * (before - after) / before;
}

}  // namespace

const std::vector<DiffMetric>& diff_metrics() {
  using F = const LockFigures&;
  static const std::vector<DiffMetric> metrics = {
      {"wait_increase", MetricUnit::kPercent, "rise of total lock wait, relative to BASE",
       [](D d) { return change_pct(as_double(d.before.wait_ns), as_double(d.after.wait_ns)); }},
      {"contention_increase", MetricUnit::kPoints, "rise of the % of thread time spent waiting, in points",
       [](D d) { return d.after.contention_pct - d.before.contention_pct; }},
      {"contended_increase", MetricUnit::kPercent, "rise of contended acquisitions, relative to BASE",
       [](D d) { return change_pct(as_double(d.before.contended), as_double(d.after.contended)); }},
      {"rate_increase", MetricUnit::kPoints, "rise of contended / acquired over all locks, in points",
       [](D d) { return 100.0 * (d.after.contention_rate() - d.before.contention_rate()); }},
      {"lock_wait_increase", MetricUnit::kDuration,
       "the largest rise of one lock's wait (a new lock: its wait)",
       [](D d) { return largest_lock_rise(d, [](F f) { return f.wait_ns; }); }},
      {"p99_increase", MetricUnit::kDuration, "the largest rise of one lock's p99 wait (a new lock: its p99)",
       [](D d) { return largest_lock_rise(d, [](F f) { return f.wait_p99_ns; }); }},
      {"new_locks", MetricUnit::kCount, "locks only in NEW that were contended",
       [](D d) {
         double n = 0;
         for (const LockDiff& l : d.locks) n += l.presence == Presence::kNew && l.after.counts.contended > 0;
         return n;
       }},
      {"wall_increase", MetricUnit::kPercent, "rise of wall time, relative to BASE",
       [](D d) { return change_pct(as_double(d.before.wall_ns), as_double(d.after.wall_ns)); }},
      {"throughput_decrease", MetricUnit::kPercent,
       "fall of throughput (--ops; without it, of 1 / wall time), relative to BASE", throughput_fall_pct},
  };
  return metrics;
}

const DiffMetric* find_diff_metric(std::string_view name) {
  for (const DiffMetric& m : diff_metrics())
    if (m.name == name) return &m;
  return nullptr;
}

std::string diff_metric_names() {
  std::string out;
  for (const DiffMetric& m : diff_metrics()) out += (out.empty() ? "" : ", ") + std::string(m.name);
  return out;
}

}  // namespace contend::analyze
