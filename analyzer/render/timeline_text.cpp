#include "render/timeline_text.h"

#include "columns/interval_columns.h"
#include "columns/units.h"
#include "render/text_table.h"

#include <fmt/format.h>

namespace contend::analyze {

std::string timeline_text(const Report& r) {
  const Timeline& t = r.timeline;
  if (t.intervals.empty()) return "No time line to show (no trace, or an empty window).\n";
  std::string out =
      fmt::format("{} phase{} from {} to {}\n", t.phases.size(), t.phases.size() == 1 ? "" : "s",
                  format_duration(t.from_ns), format_duration(t.to_ns));
  out += render_columns(phase_columns(), t.phases, t.phases.size());
  out += fmt::format("\nTime line, {} intervals of {}\n", t.intervals.size(), format_duration(t.interval_ns));
  out += render_columns(interval_columns(), t.intervals, t.intervals.size());
  out += "\n" + render_legend(interval_columns());
  out +=
      "  phases      runs of intervals with the same threads alive (start-up, steady state, transition, "
      "wind-down);\n";
  out += "              a burst: intervals waiting 3x the phase's median share, and 25 points above it\n";
  return out;
}

}  // namespace contend::analyze
