#include "aggregate/phases.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

namespace contend::analyze {

namespace {

struct Segment {
  size_t begin = 0;  // rows [begin, end)
  size_t end = 0;
  long threads = 0;  // alive, rounded
  std::string name;
  size_t length() const { return end - begin; }
};

// Runs of intervals with the same number of threads alive; runs shorter
// than `min_rows` (a pool being replaced, a thread's last moments) join the
// neighbour closest in threads.
std::vector<Segment> by_threads(const std::vector<IntervalRow>& rows, size_t min_rows) {
  std::vector<Segment> segs;
  for (size_t i = 0; i < rows.size(); ++i) {
    long n = std::lround(rows[i].threads);
    if (segs.empty() || segs.back().threads != n) segs.push_back(Segment{i, i, n, ""});
    segs.back().end = i + 1;
  }
  while (segs.size() > 1) {
    size_t shortest = 0;
    for (size_t k = 1; k < segs.size(); ++k)
      if (segs[k].length() < segs[shortest].length()) shortest = k;
    if (segs[shortest].length() >= min_rows) break;
    size_t into;
    if (shortest == 0) {
      into = 1;
    } else if (shortest + 1 == segs.size()) {
      into = shortest - 1;
    } else {
      long before = std::labs(segs[shortest - 1].threads - segs[shortest].threads);
      long after = std::labs(segs[shortest + 1].threads - segs[shortest].threads);
      into = before < after || (before == after && segs[shortest - 1].length() >= segs[shortest + 1].length())
                 ? shortest - 1
                 : shortest + 1;
    }
    segs[into].begin = std::min(segs[into].begin, segs[shortest].begin);
    segs[into].end = std::max(segs[into].end, segs[shortest].end);
    segs.erase(segs.begin() + static_cast<long>(shortest));
    // Neighbours that now have the same thread count are one phase.
    for (size_t k = 1; k < segs.size();) {
      if (segs[k].threads == segs[k - 1].threads) {
        segs[k - 1].end = segs[k].end;
        segs.erase(segs.begin() + static_cast<long>(k));
      } else {
        ++k;
      }
    }
  }
  return segs;
}

// The ends are start-up and wind-down when the program runs alone there
// (one thread), or with fewer threads for under a tenth of the run. A short
// dip between two stretches with more threads (a pool torn down before the
// next one starts, slow on a loaded machine) is a transition, not a steady
// state of its own.
void name_segments(std::vector<Segment>& segs, size_t total_rows) {
  auto edge = [&](const Segment& s, const Segment& neighbour) {
    return s.threads < neighbour.threads && (s.threads <= 1 || s.length() * 10 < total_rows);
  };
  auto dip = [&](const Segment& s, const Segment& before, const Segment& after) {
    return s.threads < before.threads && s.threads < after.threads && s.length() * 10 < total_rows;
  };
  std::set<long> steady_levels;
  for (size_t k = 0; k < segs.size(); ++k) {
    Segment& s = segs[k];
    if (s.threads == 0) {
      s.name = "idle";
    } else if (k == 0 && segs.size() > 1 && edge(s, segs[1])) {
      s.name = "start-up";
    } else if (k > 0 && k + 1 == segs.size() && edge(s, segs[k - 1])) {
      s.name = "wind-down";
    } else if (k > 0 && k + 1 < segs.size() && dip(s, segs[k - 1], segs[k + 1])) {
      s.name = "transition";
    } else {
      s.name = "steady state";
      steady_levels.insert(s.threads);
    }
  }
  if (steady_levels.size() > 1)
    for (Segment& s : segs)
      if (s.name == "steady state")
        s.name = fmt::format("steady state ({} thread{})", s.threads, s.threads == 1 ? "" : "s");
}

// Splits a segment around its bursts: runs of at least two intervals (one
// is too often a preempted holder) whose share of thread time waiting is
// at least three times the segment's median and 25 points above it,
// together at most a third of the segment.
void split_bursts(const std::vector<IntervalRow>& rows, const Segment& s, std::vector<Segment>& out) {
  std::vector<double> levels;
  for (size_t i = s.begin; i < s.end; ++i) levels.push_back(rows[i].waiting_share());
  std::vector<double> sorted = levels;
  std::sort(sorted.begin(), sorted.end());
  double median = sorted.empty() ? 0 : sorted[sorted.size() / 2];
  double threshold = std::max(3 * median, median + 0.25);
  size_t high = 0;
  for (double l : levels) high += l >= threshold ? 1 : 0;
  if (s.length() < 5 || high == 0 || high * 3 > s.length()) {
    out.push_back(s);
    return;
  }
  auto high_at = [&](size_t i) { return i >= s.begin && i < s.end && rows[i].waiting_share() >= threshold; };
  for (size_t i = s.begin; i < s.end; ++i) {
    bool burst = high_at(i) && (high_at(i - 1) || high_at(i + 1));
    std::string name = burst ? "burst" : s.name;
    if (out.empty() || out.back().name != name || out.back().end != i)
      out.push_back(Segment{i, i, s.threads, name});
    out.back().end = i + 1;
  }
}

PhaseRow phase_of(const std::vector<IntervalRow>& rows, const Segment& s) {
  PhaseRow p;
  p.name = s.name;
  p.start_ns = rows[s.begin].start_ns;
  p.end_ns = rows[s.end - 1].end_ns;
  double thread_ns = 0;
  std::map<std::string, uint64_t> locks;
  for (size_t i = s.begin; i < s.end; ++i) {
    const IntervalRow& r = rows[i];
    p.wait_ns += r.wait_ns;
    p.acquisitions += r.acquisitions;
    p.contended += r.contended;
    thread_ns += r.threads * static_cast<double>(r.length_ns());
    if (!r.top_lock.empty()) locks[r.top_lock] += r.top_lock_wait_ns;
  }
  p.threads = p.length_ns() == 0 ? 0 : thread_ns / static_cast<double>(p.length_ns());
  for (const auto& [name, ns] : locks) {
    if (ns > p.top_lock_wait_ns) {
      p.top_lock = name;
      p.top_lock_wait_ns = ns;
    }
  }
  return p;
}

}  // namespace

std::vector<PhaseRow> find_phases(const std::vector<IntervalRow>& rows) {
  if (rows.empty()) return {};
  std::vector<Segment> segs = by_threads(rows, std::max<size_t>(2, rows.size() / 50));
  name_segments(segs, rows.size());
  std::vector<Segment> split;
  for (const Segment& s : segs) split_bursts(rows, s, split);
  std::vector<PhaseRow> phases;
  for (const Segment& s : split) phases.push_back(phase_of(rows, s));
  return phases;
}

std::string phase_at(const std::vector<PhaseRow>& phases, uint64_t ns) {
  for (const PhaseRow& p : phases)
    if (ns >= p.start_ns && ns < p.end_ns) return p.name;
  return phases.empty() || ns < phases.back().end_ns ? "" : phases.back().name;
}

}  // namespace contend::analyze
