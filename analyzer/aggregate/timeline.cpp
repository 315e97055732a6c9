#include "aggregate/timeline.h"

#include "aggregate/phases.h"
#include "model/saturating.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

namespace contend::analyze {

namespace {

// Sums of one interval before rounding: buckets straddle intervals.
struct Partial {
  double wait_ns = 0;
  double thread_ns = 0;
  uint64_t waits = 0;
  uint64_t acquisitions = 0;
  uint64_t contended = 0;
  std::map<std::string, double> locks;  // wait by lock name
};

uint64_t overlap(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1) {
  uint64_t lo = std::max(a0, b0), hi = std::min(a1, b1);
  return hi > lo ? hi - lo : 0;
}

// Calls fn(index, overlap) for every interval of `count` that [t0, t1)
// overlaps.
template <typename Fn>
void for_overlaps(uint64_t from, uint64_t to, uint64_t width, size_t count, uint64_t t0, uint64_t t1,
                  Fn&& fn) {
  t0 = std::max(t0, from);
  t1 = std::min(t1, to);
  if (t1 <= t0) return;
  for (uint64_t i = (t0 - from) / width; i < count && from + i * width < t1; ++i) {
    uint64_t s = from + i * width;
    uint64_t o = overlap(s, std::min(s + width, to), t0, t1);
    if (o > 0) fn(static_cast<size_t>(i), o);
  }
}

void add_trace(const TraceTime& tt, const std::unordered_map<LockKey, std::string, KeyHash>& names,
               uint64_t from, uint64_t to, uint64_t width, std::vector<Partial>& rows) {
  const DecodedTrace& p = *tt.trace;
  const TimeBuckets& tb = p.timeline;
  uint64_t end_ticks = p.end_ticks != 0 ? p.end_ticks : p.last_ticks;
  for (const auto& [tid, t] : p.threads) {
    uint64_t start = t.start_ticks != 0 ? tt.at(t.start_ticks) : tt.start();
    uint64_t end = tt.at(t.end_ticks != 0 ? t.end_ticks : end_ticks);
    for_overlaps(from, to, width, rows.size(), start, end,
                 [&](size_t i, uint64_t o) { rows[i].thread_ns += static_cast<double>(o); });
  }
  if (!tb.active()) return;
  for (size_t j = 0; j < tb.buckets().size(); ++j) {
    const TimeBuckets::Bucket& b = tb.buckets()[j];
    uint64_t b0 = tt.at(tb.origin() + j * tb.width());
    uint64_t b1 = std::max(b0 + 1, tt.at(tb.origin() + (j + 1) * tb.width()));
    // Counts go whole to the interval of the bucket's middle (they stay
    // integers); wait is spread by overlap.
    uint64_t mid = b0 + (b1 - b0) / 2;
    if (mid >= from && mid < to && (mid - from) / width < rows.size()) {
      Partial& r = rows[static_cast<size_t>((mid - from) / width)];
      r.waits += b.waits;
      r.acquisitions += b.acquisitions;
      r.contended += b.contended;
    }
    if (b.wait_ticks == 0) continue;
    double wait_ns = static_cast<double>(p.clock.to_ns(b.wait_ticks));
    for_overlaps(from, to, width, rows.size(), b0, b1, [&](size_t i, uint64_t o) {
      double share = static_cast<double>(o) / static_cast<double>(b1 - b0);
      rows[i].wait_ns += wait_ns * share;
      for (const TimeBuckets::TopLock& top : b.top) {
        if (top.ticks == 0) continue;
        auto it = names.find(top.key);
        std::string name = it != names.end() ? it->second : "?";
        rows[i].locks[name] += static_cast<double>(p.clock.to_ns(top.ticks)) * share;
      }
    });
  }
}

}  // namespace

uint64_t round_interval(uint64_t ns) {
  if (ns > 1'000'000'000'000'000'000ull) return ns;  // a damaged trace's: no rounding past 10^18
  uint64_t step = 1;
  while (true) {
    for (uint64_t m : {1, 2, 5})
      if (m * step >= ns) return m * step;
    step *= 10;
  }
}

std::vector<IntervalRow> interval_rows(const std::vector<TraceTime>& traces, const LockNames& names,
                                       uint64_t from, uint64_t to, uint64_t width) {
  if (to <= from || width == 0) return {};
  std::vector<Partial> partial(static_cast<size_t>((to - from + width - 1) / width));
  for (size_t k = 0; k < traces.size(); ++k) add_trace(traces[k], names[k], from, to, width, partial);
  std::vector<IntervalRow> rows(partial.size());
  double cumulative = 0;  // rounded as a running sum: the intervals add up to the whole
  for (size_t i = 0; i < rows.size(); ++i) {
    IntervalRow& r = rows[i];
    const Partial& p = partial[i];
    r.start_ns = from + i * width;
    r.end_ns = std::min(r.start_ns + width, to);
    double before = cumulative;
    cumulative += p.wait_ns;
    uint64_t upto = round_saturating(cumulative), below = round_saturating(before);
    r.wait_ns = upto >= below ? upto - below : 0;
    r.waits = p.waits;
    r.acquisitions = p.acquisitions;
    r.contended = p.contended;
    r.threads = p.thread_ns / static_cast<double>(r.length_ns());
    for (const auto& [name, ns] : p.locks) {
      uint64_t v = round_saturating(ns);
      if (v > r.top_lock_wait_ns) {
        r.top_lock = name;
        r.top_lock_wait_ns = v;
      }
    }
  }
  return rows;
}

Timeline build_timeline(const std::vector<TraceTime>& traces, const LockNames& names,
                        const TimelineOptions& options) {
  Timeline t;
  uint64_t end = 0, resolution = 1;
  for (const TraceTime& tt : traces) {
    end = std::max(end, tt.end());
    if (tt.trace->timeline.active())
      resolution = std::max(resolution, tt.trace->clock.to_ns(tt.trace->timeline.width()));
  }
  t.from_ns = std::min(options.from_ns, end);
  t.to_ns = std::min(options.to_ns, end);
  uint64_t range = t.to_ns - t.from_ns;
  if (range == 0) return t;
  // Phases are found on fine intervals (about 200, no finer than the
  // model's buckets), the time line shown at the interval asked for.
  uint64_t fine = round_interval(std::max(resolution, range / 200));
  // An interval asked for is kept, but no finer than the buckets and at
  // most 10,000 intervals.
  t.interval_ns = options.interval_ns != 0 ? std::max({options.interval_ns, resolution, range / 10000})
                                           : round_interval(std::max(fine, range / 40));
  std::vector<IntervalRow> fine_rows = interval_rows(traces, names, t.from_ns, t.to_ns, fine);
  t.phases = find_phases(fine_rows);
  t.intervals = interval_rows(traces, names, t.from_ns, t.to_ns, t.interval_ns);
  for (IntervalRow& r : t.intervals) r.phase = phase_at(t.phases, r.start_ns + r.length_ns() / 2);
  return t;
}

}  // namespace contend::analyze
