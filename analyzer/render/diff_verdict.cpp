// The verdict at the top of a diff, in words: the lock that changed most
// (and the next, when it matters), the totals, locks gone and new, time and
// throughput. The diff stage has chosen what to name (DiffReport::movers);
// this only words it.
#include "columns/diff_columns.h"
#include "render/diff_render.h"

#include <fmt/format.h>

#include <cmath>

namespace contend::analyze {

namespace {

double num(uint64_t v) {
  return static_cast<double>(v);
}

// Within 5% either way reads as no change.
const char* verb(double before, double after) {
  double pct = change_pct(before, after);
  if (std::isinf(pct) || pct >= 5) return "rose";
  if (pct <= -5) return "fell";
  return "was about the same,";
}

std::string mover_text(const LockDiff& l) {
  std::string out = fmt::format("wait on `{}` ({}) {} {} -> {}", l.name, format::wait_kind_name(l.kind),
                                verb(num(l.before.wait_ns), num(l.after.wait_ns)),
                                format_duration(l.before.wait_ns), format_duration(l.after.wait_ns));
  switch (l.presence) {
    case Presence::kVanished: return out + ", the lock is gone in NEW";
    case Presence::kNew: return out + ", a lock BASE did not have";
    case Presence::kBoth:
      return out + fmt::format(" ({}; contended {} -> {})",
                               change_text(change_pct(num(l.before.wait_ns), num(l.after.wait_ns))),
                               format_count(l.before.counts.contended),
                               format_count(l.after.counts.contended));
  }
  return out;
}

std::string capitalized(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string plural(size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

}  // namespace

std::string diff_verdict(const DiffReport& d) {
  const RunFigures& a = d.before;
  const RunFigures& b = d.after;
  std::string out;
  if (!d.movers.empty()) {
    out += capitalized(mover_text(d.locks[d.movers[0]]));
    if (d.movers.size() > 1) out += "; " + mover_text(d.locks[d.movers[1]]);
    out += ". ";
  }
  if (a.wait_ns == 0 && b.wait_ns == 0) {
    out += "Neither run waited for a lock. ";
  } else {
    out +=
        fmt::format("Total lock wait {} {} -> {} ({}); thread time waiting {:.1f}% -> {:.1f}% ({:+.1f} pt). ",
                    verb(num(a.wait_ns), num(b.wait_ns)), format_duration(a.wait_ns),
                    format_duration(b.wait_ns), change_text(change_pct(num(a.wait_ns), num(b.wait_ns))),
                    a.contention_pct, b.contention_pct, b.contention_pct - a.contention_pct);
  }
  size_t gone = d.count(Presence::kVanished), added = d.count(Presence::kNew), contended_new = 0;
  for (const LockDiff& l : d.locks)
    contended_new += l.presence == Presence::kNew && l.after.counts.contended > 0;
  if (gone > 0 || added > 0) {
    out += gone == 0 ? std::string("No lock gone, ") : plural(gone, "lock", "locks") + " gone, ";
    out +=
        added == 0 ? std::string("none new. ") : fmt::format("{} new ({} contended). ", added, contended_new);
  }
  out += fmt::format("Wall time {} -> {} ({})", format_duration(a.wall_ns), format_duration(b.wall_ns),
                     change_text(change_pct(num(a.wall_ns), num(b.wall_ns))));
  if (a.operations > 0 && b.operations > 0) {
    out += fmt::format("; throughput {} -> {} ({}); per operation, acquisitions {} -> {}, wait {} -> {}",
                       figure_text(FigureUnit::kPerSecond, a.throughput()),
                       figure_text(FigureUnit::kPerSecond, b.throughput()),
                       change_text(change_pct(a.throughput(), b.throughput())),
                       figure_text(FigureUnit::kPerOp, a.per_op(num(a.acquisitions))),
                       figure_text(FigureUnit::kPerOp, b.per_op(num(b.acquisitions))),
                       figure_text(FigureUnit::kDurationOp, a.per_op(num(a.wait_ns))),
                       figure_text(FigureUnit::kDurationOp, b.per_op(num(b.wait_ns))));
  }
  return out + ".";
}

}  // namespace contend::analyze
