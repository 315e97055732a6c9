#include "columns/diff_columns.h"

#include "model/saturating.h"

#include <cmath>
#include <functional>

namespace contend::analyze {

namespace {

using LD = const LockDiff&;
using SD = const SiteDiff&;

// "a -> b" where a side that does not have the row says "-".
std::string arrow(bool before, const std::string& a, bool after, const std::string& b) {
  return (before ? a : "-") + " -> " + (after ? b : "-");
}

std::string points_text(double points) {
  return fmt::format("{:+.1f} pt", points);
}

double num(uint64_t v) {
  return static_cast<double>(v);
}

// Signed values go to CSV as exact integers (Value has no signed type).
Value signed_value(int64_t v) {
  return fmt::format("{}", v);
}

// Two CSV columns, KEY_before and KEY_after, for one figure of a row.
template <typename Row, typename Side>
void both_sides(std::vector<Column<Row>>& out, std::string_view before_key, std::string_view after_key,
                std::function<Value(const Side&)> get, const Side Row::*before, const Side Row::*after) {
  out.push_back(
      {.key = before_key, .in = kCsv, .value = [get, before](const Row& r) { return get(r.*before); }});
  out.push_back(
      {.key = after_key, .in = kCsv, .value = [get, after](const Row& r) { return get(r.*after); }});
}

std::vector<Column<LockDiff>> make_lock_columns(bool with_ops) {
  using F = const LockFigures&;
  std::vector<Column<LockDiff>> c = {
      {.header = "#", .key = "rank", .in = kTable, .cell = [](LD, size_t r) { return fmt::format("{}", r); }},
      {.header = "lock",
       .key = "name",
       .in = kTable | kCsv,
       .unit = Unit::kText,
       .value = [](LD l) -> Value { return l.name; },
       .legend = "matched by name and kind across the runs (several locks of one name are summed)"},
      {.header = "kind",
       .key = "kind",
       .in = kTable | kCsv,
       .unit = Unit::kText,
       .value = [](LD l) -> Value { return std::string(format::wait_kind_name(l.kind)); }},
      {.header = "status",
       .key = "status",
       .in = kTable | kCsv,
       .unit = Unit::kText,
       .value = [](LD l) -> Value { return std::string(presence_name(l.presence)); },
       .cell = [](LD l, size_t) -> std::string {
         return l.presence == Presence::kNew ? "new" : l.presence == Presence::kVanished ? "gone" : "";
       },
       .legend = "new: only in NEW; gone: only in BASE"},
      {.header = "wait",
       .in = kTable,
       .unit = Unit::kDuration,
       .cell =
           [](LD l, size_t) {
             return arrow(l.before.present(), format_duration(l.before.wait_ns), l.after.present(),
                          format_duration(l.after.wait_ns)) +
                    " (" + change_text(change_pct(num(l.before.wait_ns), num(l.after.wait_ns))) + ")";
           },
       .legend = "total wait, BASE -> NEW (change)"},
      {.header = "contended",
       .in = kTable,
       .unit = Unit::kNumber,
       .cell =
           [](LD l, size_t) {
             return arrow(l.before.present(), format_count(l.before.counts.contended), l.after.present(),
                          format_count(l.after.counts.contended)) +
                    " (" +
                    change_text(change_pct(static_cast<double>(l.before.counts.contended),
                                           static_cast<double>(l.after.counts.contended))) +
                    ")";
           },
       .legend = "acquisitions that waited"},
      {.header = "rate",
       .in = kTable,
       .unit = Unit::kNumber,
       .cell =
           [](LD l, size_t) {
             return arrow(l.before.present(), format_percent(l.before.counts.contention_rate()),
                          l.after.present(), format_percent(l.after.counts.contention_rate()));
           },
       .legend = "contended / acquired"},
      {.header = "p50",
       .in = kTable,
       .cell =
           [](LD l, size_t) {
             return arrow(l.before.present(), format_duration(l.before.wait_p50_ns), l.after.present(),
                          format_duration(l.after.wait_p50_ns));
           },
       .legend = "median single wait (several locks: the largest)"},
      {.header = "p99",
       .in = kTable,
       .cell =
           [](LD l, size_t) {
             return arrow(l.before.present(), format_duration(l.before.wait_p99_ns), l.after.present(),
                          format_duration(l.after.wait_p99_ns));
           },
       .legend = "99th percentile of single waits (several locks: the largest)"},
      {.header = "hold",
       .in = kTable,
       .cell =
           [](LD l, size_t) {
             auto held = [](F f) {
               return f.hold_samples == 0 ? std::string("-") : format_duration(f.hold_ns);
             };
             return arrow(l.before.present(), held(l.before), l.after.present(), held(l.after));
           },
       .legend = "time held, estimated from sampled holds"},
      {.header = "share",
       .in = kTable,
       .cell =
           [](LD l, size_t) {
             return arrow(l.before.present(), format_percent(l.before.share_of_wait), l.after.present(),
                          format_percent(l.after.share_of_wait));
           },
       .legend = "part of all lock wait in its run"},
  };
  if (with_ops) {
    c.push_back(
        {.header = "acq/op",
         .in = kTable,
         .cell =
             [](LD l, size_t) {
               return arrow(
                   l.before.present(),
                   figure_text(FigureUnit::kPerOp, l.before.per_op(num(l.before.counts.acquisitions))),
                   l.after.present(),
                   figure_text(FigureUnit::kPerOp, l.after.per_op(num(l.after.counts.acquisitions))));
             },
         .legend = "acquisitions per operation (--ops)"});
    c.push_back({.header = "wait/op",
                 .in = kTable,
                 .cell =
                     [](LD l, size_t) {
                       return arrow(l.before.present(),
                                    figure_text(FigureUnit::kDurationOp,
                                                l.before.per_op(static_cast<double>(l.before.wait_ns))),
                                    l.after.present(),
                                    figure_text(FigureUnit::kDurationOp,
                                                l.after.per_op(static_cast<double>(l.after.wait_ns))));
                     },
                 .legend = "wait per operation"});
  }
  auto u = [](uint64_t v) -> Value { return v; };
  auto f = [](double v) -> Value { return v; };
  both_sides<LockDiff, LockFigures>(
      c, "locks_before", "locks_after", [u](F x) { return u(x.locks); }, &LockDiff::before, &LockDiff::after);
  both_sides<LockDiff, LockFigures>(
      c, "acquisitions_before", "acquisitions_after", [u](F x) { return u(x.counts.acquisitions); },
      &LockDiff::before, &LockDiff::after);
  both_sides<LockDiff, LockFigures>(
      c, "contended_before", "contended_after", [u](F x) { return u(x.counts.contended); }, &LockDiff::before,
      &LockDiff::after);
  both_sides<LockDiff, LockFigures>(
      c, "rate_before", "rate_after", [f](F x) { return f(x.counts.contention_rate()); }, &LockDiff::before,
      &LockDiff::after);
  both_sides<LockDiff, LockFigures>(
      c, "wait_ns_before", "wait_ns_after", [u](F x) { return u(x.wait_ns); }, &LockDiff::before,
      &LockDiff::after);
  both_sides<LockDiff, LockFigures>(
      c, "p50_ns_before", "p50_ns_after", [u](F x) { return u(x.wait_p50_ns); }, &LockDiff::before,
      &LockDiff::after);
  both_sides<LockDiff, LockFigures>(
      c, "p99_ns_before", "p99_ns_after", [u](F x) { return u(x.wait_p99_ns); }, &LockDiff::before,
      &LockDiff::after);
  both_sides<LockDiff, LockFigures>(
      c, "max_ns_before", "max_ns_after", [u](F x) { return u(x.wait_max_ns); }, &LockDiff::before,
      &LockDiff::after);
  both_sides<LockDiff, LockFigures>(
      c, "hold_ns_before", "hold_ns_after", [u](F x) { return u(x.hold_ns); }, &LockDiff::before,
      &LockDiff::after);
  both_sides<LockDiff, LockFigures>(
      c, "share_before", "share_after", [f](F x) { return f(x.share_of_wait); }, &LockDiff::before,
      &LockDiff::after);
  both_sides<LockDiff, LockFigures>(
      c, "thread_time_before", "thread_time_after", [f](F x) { return f(x.share_of_thread_time); },
      &LockDiff::before, &LockDiff::after);
  both_sides<LockDiff, LockFigures>(
      c, "acquisitions_per_op_before", "acquisitions_per_op_after",
      [f](F x) { return f(x.per_op(static_cast<double>(x.counts.acquisitions))); }, &LockDiff::before,
      &LockDiff::after);
  both_sides<LockDiff, LockFigures>(
      c, "wait_ns_per_op_before", "wait_ns_per_op_after",
      [f](F x) { return f(x.per_op(static_cast<double>(x.wait_ns))); }, &LockDiff::before, &LockDiff::after);
  // The changes: signed and relative (inf: from nothing).
  c.push_back(
      {.key = "wait_change_ns", .in = kCsv, .value = [](LD l) { return signed_value(l.wait_change_ns()); }});
  c.push_back({.key = "wait_change_pct", .in = kCsv, .value = [](LD l) -> Value {
                 return change_pct(num(l.before.wait_ns), num(l.after.wait_ns));
               }});
  c.push_back({.key = "contended_change_pct", .in = kCsv, .value = [](LD l) -> Value {
                 return change_pct(num(l.before.counts.contended), num(l.after.counts.contended));
               }});
  c.push_back({.key = "rate_change_pt", .in = kCsv, .value = [](LD l) -> Value {
                 return 100.0 * (l.after.counts.contention_rate() - l.before.counts.contention_rate());
               }});
  return c;
}

}  // namespace

std::string change_text(double pct) {
  if (std::isinf(pct)) return "new";
  if (std::fabs(pct) >= 99.95) return fmt::format("{:+.0f}%", pct);
  return fmt::format("{:+.1f}%", pct);
}

std::string figure_text(FigureUnit unit, double v) {
  switch (unit) {
    case FigureUnit::kCount: return format_count(round_saturating(v));
    case FigureUnit::kDuration: return format_duration(round_saturating(v));
    case FigureUnit::kPercent: return fmt::format("{:.1f}%", v);
    case FigureUnit::kFraction: return format_percent(v);
    case FigureUnit::kPerOp: return format_ratio(v);
    case FigureUnit::kPerSecond: {
      if (v >= 1e9) return fmt::format("{:.3g} G/s", v / 1e9);
      if (v >= 1e6) return fmt::format("{:.3g} M/s", v / 1e6);
      if (v >= 1e3) return fmt::format("{:.3g} k/s", v / 1e3);
      return fmt::format("{:.3g}/s", v);
    }
    case FigureUnit::kDurationOp:
      return v >= 1 || v == 0 ? format_duration(round_saturating(v)) : fmt::format("{:.2f} ns", v);
  }
  return {};
}

const std::vector<Column<LockDiff>>& diff_lock_columns(bool with_ops) {
  static const std::vector<Column<LockDiff>> plain = make_lock_columns(false);
  static const std::vector<Column<LockDiff>> ops = make_lock_columns(true);
  return with_ops ? ops : plain;
}

const std::vector<Column<SiteDiff>>& diff_site_columns() {
  using S = const SiteFigures&;
  static const std::vector<Column<SiteDiff>> columns = [] {
    std::vector<Column<SiteDiff>> c = {
        {.header = "#", .in = kTable, .cell = [](SD, size_t r) { return fmt::format("{}", r); }},
        {.header = "call site",
         .key = "function",
         .in = kTable | kCsv,
         .unit = Unit::kText,
         .value = [](SD s) -> Value { return s.key; },
         .cell = [](SD s, size_t) { return s.label; },
         .legend = "where threads waited, matched by function"},
        {.header = "status",
         .key = "status",
         .in = kTable | kCsv,
         .unit = Unit::kText,
         .value = [](SD s) -> Value { return std::string(presence_name(s.presence)); },
         .cell = [](SD s, size_t) -> std::string {
           return s.presence == Presence::kNew ? "new" : s.presence == Presence::kVanished ? "gone" : "";
         }},
        {.header = "wait",
         .in = kTable,
         .unit = Unit::kDuration,
         .cell =
             [](SD s, size_t) {
               return arrow(s.before.present, format_duration(s.before.wait_ns), s.after.present,
                            format_duration(s.after.wait_ns)) +
                      " (" + change_text(change_pct(num(s.before.wait_ns), num(s.after.wait_ns))) + ")";
             },
         .legend = "time waited there, BASE -> NEW (change)"},
        {.header = "waits",
         .in = kTable,
         .cell =
             [](SD s, size_t) {
               return arrow(s.before.present, format_count(s.before.waits), s.after.present,
                            format_count(s.after.waits));
             }},
        {.header = "share",
         .in = kTable,
         .cell =
             [](SD s, size_t) {
               return arrow(s.before.present, format_percent(s.before.share), s.after.present,
                            format_percent(s.after.share));
             },
         .legend = "part of all lock wait in its run"},
        {.header = "lock",
         .key = "lock",
         .in = kTable | kCsv,
         .unit = Unit::kText,
         .value = [](SD s) -> Value { return s.after.present ? s.after.lock : s.before.lock; },
         .legend = "the lock waited for most there"},
    };
    auto u = [](uint64_t v) -> Value { return v; };
    both_sides<SiteDiff, SiteFigures>(
        c, "waits_before", "waits_after", [u](S x) { return u(x.waits); }, &SiteDiff::before,
        &SiteDiff::after);
    both_sides<SiteDiff, SiteFigures>(
        c, "wait_ns_before", "wait_ns_after", [u](S x) { return u(x.wait_ns); }, &SiteDiff::before,
        &SiteDiff::after);
    both_sides<SiteDiff, SiteFigures>(
        c, "max_ns_before", "max_ns_after", [u](S x) { return u(x.max_ns); }, &SiteDiff::before,
        &SiteDiff::after);
    both_sides<SiteDiff, SiteFigures>(
        c, "share_before", "share_after", [](S x) -> Value { return x.share; }, &SiteDiff::before,
        &SiteDiff::after);
    c.push_back({.key = "wait_change_ns", .in = kCsv, .value = [](SD s) {
                   return signed_value(s.wait_change_ns());
                 }});
    c.push_back({.key = "wait_change_pct", .in = kCsv, .value = [](SD s) -> Value {
                   return change_pct(num(s.before.wait_ns), num(s.after.wait_ns));
                 }});
    return c;
  }();
  return columns;
}

const std::vector<Column<FigureDiff>>& diff_figure_columns() {
  using G = const FigureDiff&;
  // Counts and nanoseconds are whole numbers in CSV.
  auto raw = [](G g, double v) -> Value {
    bool whole = g.unit == FigureUnit::kCount || g.unit == FigureUnit::kDuration;
    return whole ? Value{round_saturating(v)} : Value{v};
  };
  static const std::vector<Column<FigureDiff>> columns = {
      {.header = "",
       .key = "figure",
       .in = kTable | kCsv,
       .unit = Unit::kText,
       .value = [](G g) -> Value { return std::string(g.key); },
       .cell = [](G g, size_t) { return std::string(g.label); }},
      {.header = "base",
       .key = "before",
       .in = kTable | kCsv,
       .value = [raw](G g) { return raw(g, g.before); },
       .cell = [](G g, size_t) { return figure_text(g.unit, g.before); }},
      {.header = "new",
       .key = "after",
       .in = kTable | kCsv,
       .value = [raw](G g) { return raw(g, g.after); },
       .cell = [](G g, size_t) { return figure_text(g.unit, g.after); }},
      {.header = "change",
       .key = "change",
       .in = kTable | kCsv,
       .value = [](G g) -> Value { return g.change_value(); },
       .cell = [](G g, size_t) -> std::string {
         switch (g.change) {
           case ChangeAs::kRelative: return change_text(g.change_value());
           case ChangeAs::kPoints: return points_text(g.change_value());
           case ChangeAs::kNone: break;
         }
         return "";
       }},
  };
  return columns;
}

}  // namespace contend::analyze
