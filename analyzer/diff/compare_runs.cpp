#include "diff/compare_runs.h"

#include <algorithm>
#include <cstdlib>
#include <tuple>

namespace contend::analyze {

namespace {

uint64_t magnitude(int64_t v) {
  return static_cast<uint64_t>(v < 0 ? -v : v);
}

// Largest change in wait first; among equal changes the busier row.
template <typename Diff>
void rank(std::vector<Diff>& rows) {
  std::stable_sort(rows.begin(), rows.end(), [](const Diff& a, const Diff& b) {
    uint64_t busy_a = std::max(a.before.wait_ns, a.after.wait_ns);
    uint64_t busy_b = std::max(b.before.wait_ns, b.after.wait_ns);
    return std::make_tuple(magnitude(b.wait_change_ns()), busy_b) <
           std::make_tuple(magnitude(a.wait_change_ns()), busy_a);
  });
}

Presence presence_of(bool before, bool after) {
  return before && after ? Presence::kBoth : before ? Presence::kVanished : Presence::kNew;
}

std::vector<LockDiff> match_locks(const Report& base, const Report& next, const DiffOptions& o) {
  std::vector<LockGroup> a = group_locks(base, o.base_operations);
  std::vector<LockGroup> b = group_locks(next, o.new_operations);
  std::vector<LockDiff> out;
  auto less = [](const LockGroup& x, const LockGroup& y) {
    return x.name != y.name ? x.name < y.name : x.kind < y.kind;
  };
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    LockDiff d;
    if (j == b.size() || (i < a.size() && less(a[i], b[j]))) {
      d.name = a[i].name, d.kind = a[i].kind, d.before = a[i++].figures;
    } else if (i == a.size() || less(b[j], a[i])) {
      d.name = b[j].name, d.kind = b[j].kind, d.after = b[j++].figures;
    } else {
      d.name = a[i].name, d.kind = a[i].kind, d.before = a[i++].figures, d.after = b[j++].figures;
    }
    if (d.before.locks == 0) d.before.operations = o.base_operations;
    if (d.after.locks == 0) d.after.operations = o.new_operations;
    d.presence = presence_of(d.before.present(), d.after.present());
    out.push_back(std::move(d));
  }
  rank(out);
  return out;
}

std::vector<SiteDiff> match_sites(const Report& base, const Report& next) {
  std::vector<SiteGroup> a = group_sites(base);
  std::vector<SiteGroup> b = group_sites(next);
  std::vector<SiteDiff> out;
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    SiteDiff d;
    if (j == b.size() || (i < a.size() && a[i].key < b[j].key)) {
      d.key = a[i].key, d.label = a[i].label, d.before = a[i++].figures;
    } else if (i == a.size() || b[j].key < a[i].key) {
      d.key = b[j].key, d.label = b[j].label, d.after = b[j++].figures;
    } else {
      // The new run's label: its line numbers are the code as it is now.
      d.key = b[j].key, d.label = b[j].label, d.before = a[i++].figures, d.after = b[j++].figures;
    }
    d.presence = presence_of(d.before.present, d.after.present);
    out.push_back(std::move(d));
  }
  rank(out);
  return out;
}

std::vector<FigureDiff> side_by_side(const RunFigures& a, const RunFigures& b) {
  std::vector<FigureDiff> out;
  auto add = [&out](std::string_view key, std::string_view label, FigureUnit unit, ChangeAs change,
                    double before, double after) {
    out.push_back(FigureDiff{key, label, unit, change, before, after});
  };
  auto n = [](uint64_t v) { return static_cast<double>(v); };
  constexpr ChangeAs kRel = ChangeAs::kRelative;
  add("wall_ns", "wall time", FigureUnit::kDuration, kRel, n(a.wall_ns), n(b.wall_ns));
  bool ops = a.operations > 0 && b.operations > 0;
  if (ops) {
    add("operations", "operations", FigureUnit::kCount, kRel, n(a.operations), n(b.operations));
    add("throughput", "throughput", FigureUnit::kPerSecond, kRel, a.throughput(), b.throughput());
  }
  add("threads", "threads", FigureUnit::kCount, kRel, n(a.threads), n(b.threads));
  add("acquisitions", "acquisitions", FigureUnit::kCount, kRel, n(a.acquisitions), n(b.acquisitions));
  add("contended", "contended", FigureUnit::kCount, kRel, n(a.contended), n(b.contended));
  add("contention_rate", "contention rate", FigureUnit::kFraction, ChangeAs::kPoints, a.contention_rate(),
      b.contention_rate());
  add("wait_ns", "total lock wait", FigureUnit::kDuration, kRel, n(a.wait_ns), n(b.wait_ns));
  add("contention_pct", "thread time waiting", FigureUnit::kPercent, ChangeAs::kPoints, a.contention_pct,
      b.contention_pct);
  add("futex_waits", "futex waits", FigureUnit::kCount, kRel, n(a.futex_waits), n(b.futex_waits));
  add("futex_wakes", "futex wakes", FigureUnit::kCount, kRel, n(a.futex_wakes), n(b.futex_wakes));
  if (ops) {
    add("acquisitions_per_op", "acquisitions / op", FigureUnit::kPerOp, kRel, a.per_op(n(a.acquisitions)),
        b.per_op(n(b.acquisitions)));
    add("contended_per_op", "contended / op", FigureUnit::kPerOp, kRel, a.per_op(n(a.contended)),
        b.per_op(n(b.contended)));
    add("wait_ns_per_op", "wait / op", FigureUnit::kDurationOp, kRel, a.per_op(n(a.wait_ns)),
        b.per_op(n(b.wait_ns)));
  }
  return out;
}

std::vector<std::string> traces_of(const Report& r) {
  std::vector<std::string> out;
  for (const ProcessSummary& p : r.processes) out.push_back(p.trace_path);
  return out;
}

}  // namespace

DiffReport compare_runs(const Report& base, const Report& next, const DiffOptions& options) {
  DiffReport d;
  d.base_traces = traces_of(base);
  d.new_traces = traces_of(next);
  d.before = run_figures(base, options.base_operations);
  d.after = run_figures(next, options.new_operations);
  d.figures = side_by_side(d.before, d.after);
  d.locks = match_locks(base, next, options);
  d.sites = match_sites(base, next);
  if (!d.locks.empty() && d.locks[0].wait_change_ns() != 0) {
    d.movers.push_back(0);
    if (d.locks.size() > 1 &&
        magnitude(d.locks[1].wait_change_ns()) * 10 >= magnitude(d.locks[0].wait_change_ns()))
      d.movers.push_back(1);
  }
  for (const std::string& w : base.warnings) d.warnings.push_back("base: " + w);
  for (const std::string& w : next.warnings) d.warnings.push_back("new: " + w);
  return d;
}

}  // namespace contend::analyze
