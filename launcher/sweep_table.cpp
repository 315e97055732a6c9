#include "sweep_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace contend::launch {

namespace {

using contend::analyze::LockGroup;

Spread spread(std::vector<double> v) {
  Spread s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  s.median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  s.min = v.front();
  s.max = v.back();
  return s;
}

template <typename Get>
double median_of(const std::vector<const SweepRun*>& runs, Get get) {
  std::vector<double> v;
  for (const SweepRun* r : runs) v.push_back(get(*r));
  return spread(std::move(v)).median;
}

// A lock's medians over the runs of one count (a run without it counts 0).
std::vector<SweepLock> median_locks(const std::vector<const SweepRun*>& runs) {
  std::map<std::pair<std::string, std::string>, std::vector<const LockGroup*>> by_name;
  for (const SweepRun* r : runs)
    for (const LockGroup& g : r->locks) by_name[{g.name, format::wait_kind_name(g.kind)}].push_back(&g);
  std::vector<SweepLock> out;
  for (const auto& [key, groups] : by_name) {
    auto median = [&](auto get) {
      std::vector<double> v(runs.size() - groups.size(), 0.0);
      for (const LockGroup* g : groups) v.push_back(get(*g));
      return spread(std::move(v)).median;
    };
    SweepLock l{key.first, key.second};
    l.thread_time_pct = median([](const LockGroup& g) { return 100.0 * g.figures.share_of_thread_time; });
    l.share = median([](const LockGroup& g) { return g.figures.share_of_wait; });
    l.wait_ns = median([](const LockGroup& g) { return static_cast<double>(g.figures.wait_ns); });
    l.contended = median([](const LockGroup& g) { return static_cast<double>(g.figures.counts.contended); });
    out.push_back(std::move(l));
  }
  std::stable_sort(out.begin(), out.end(), [](const SweepLock& a, const SweepLock& b) {
    return std::tie(b.share, b.wait_ns) < std::tie(a.share, a.wait_ns);
  });
  return out;
}

std::string count_text(unsigned threads) {
  return fmt::format("{} thread{}", threads, threads == 1 ? "" : "s");
}

}  // namespace

std::vector<SweepPoint> sweep_points(const std::vector<SweepRun>& runs) {
  std::vector<SweepPoint> points;
  for (size_t i = 0; i < runs.size();) {
    std::vector<const SweepRun*> group;
    for (size_t j = i; j < runs.size() && runs[j].threads == runs[i].threads; ++j) group.push_back(&runs[j]);
    i += group.size();
    SweepPoint p;
    p.threads = group.front()->threads;
    p.runs = group.size();
    std::vector<double> walls, rates;
    for (const SweepRun* r : group) {
      walls.push_back(static_cast<double>(r->wall_ns));
      rates.push_back(r->throughput);
    }
    p.wall_ns = spread(walls);
    p.throughput = spread(rates);
    p.contention_pct = median_of(group, [](const SweepRun& r) { return r.figures.contention_pct; });
    p.futex_waits =
        median_of(group, [](const SweepRun& r) { return static_cast<double>(r.figures.futex_waits); });
    p.futex_wakes =
        median_of(group, [](const SweepRun& r) { return static_cast<double>(r.figures.futex_wakes); });
    p.acquisitions =
        median_of(group, [](const SweepRun& r) { return static_cast<double>(r.figures.acquisitions); });
    p.contended =
        median_of(group, [](const SweepRun& r) { return static_cast<double>(r.figures.contended); });
    p.wait_ns = median_of(group, [](const SweepRun& r) { return static_cast<double>(r.figures.wait_ns); });
    p.operations =
        median_of(group, [](const SweepRun& r) { return static_cast<double>(r.figures.operations); });
    p.locks = median_locks(group);
    points.push_back(std::move(p));
  }
  if (points.empty()) return points;
  // Throughput when every count has it; otherwise the same work at every count.
  bool rates =
      std::all_of(points.begin(), points.end(), [](const SweepPoint& p) { return p.throughput.median > 0; });
  const SweepPoint& first = points.front();
  for (SweepPoint& p : points) {
    if (rates)
      p.speedup = p.throughput.median / first.throughput.median;
    else
      p.speedup = p.wall_ns.median == 0 ? 0 : first.wall_ns.median / p.wall_ns.median;
    p.efficiency = p.speedup * first.threads / p.threads;
  }
  return points;
}

ScalingVerdict scaling_verdict(const std::vector<SweepPoint>& points) {
  ScalingVerdict v;
  if (points.empty()) return v;
  v.from_throughput =
      points.front().throughput.median > 0 && points.front().speedup > 0 &&
      std::all_of(points.begin(), points.end(), [](const SweepPoint& p) { return p.throughput.median > 0; });
  // Scaling stops at the first count that no later count beats by kScalingGain.
  v.stop = points.size() - 1;
  for (size_t i = 0; i + 1 < points.size(); ++i) {
    double best_later = 0;
    for (size_t j = i + 1; j < points.size(); ++j) best_later = std::max(best_later, points[j].speedup);
    if (best_later < points[i].speedup * kScalingGain) {
      v.stop = i;
      break;
    }
  }
  v.still_rising = v.stop + 1 == points.size() && points.size() > 1;
  // The lock whose % of thread time grows most from the first count to the last.
  const SweepPoint& first = points.front();
  const SweepPoint& last = points.back();
  double best = 0;
  for (const SweepLock& l : last.locks) {
    double from = 0;
    for (const SweepLock& f : first.locks)
      if (f.name == l.name && f.kind == l.kind) from = f.thread_time_pct;
    if (l.thread_time_pct - from > best) {
      best = l.thread_time_pct - from;
      v.fastest = l;
      v.fastest_from_pct = from;
    }
  }
  const SweepPoint& stop = points[v.stop];
  std::string measure = v.from_throughput ? "throughput" : "wall time";
  if (points.size() == 1) {
    v.line = fmt::format("One thread count: nothing to compare.");
  } else if (v.still_rising) {
    v.line = fmt::format("Scaling has not stopped: {} still rises at {} ({:.2f}x, efficiency {:.0f}%).",
                         measure, count_text(stop.threads), stop.speedup, 100 * stop.efficiency);
  } else {
    const SweepPoint& next = points[v.stop + 1];
    v.line = fmt::format("Scaling stops at {} ({:.2f}x, efficiency {:.0f}%): at {}, {:.2f}x of that{}.",
                         count_text(stop.threads), stop.speedup, 100 * stop.efficiency,
                         count_text(next.threads), next.speedup / stop.speedup,
                         v.stop + 2 < points.size() ? ", and no later count gains 5%" : "");
  }
  if (v.fastest.has_value())
    v.line += fmt::format(
        " Fastest-growing lock: `{}` ({}), {:.1f}% -> {:.1f}% of thread time waiting from {} to {}.",
        v.fastest->name, v.fastest->kind, v.fastest_from_pct, v.fastest->thread_time_pct,
        count_text(first.threads), count_text(last.threads));
  else if (points.size() > 1)
    v.line += " No lock's wait grows with the thread count.";
  return v;
}

}  // namespace contend::launch
