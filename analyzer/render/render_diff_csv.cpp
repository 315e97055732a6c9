// The diff as CSV: one header line, then one row per matched lock (or call
// site, or total: DiffRenderOptions::rows), each side's raw value in its own
// column. Same quoting as render_csv.
#include "columns/diff_columns.h"
#include "render/csv_table.h"
#include "render/diff_render.h"

namespace contend::analyze {

std::string render_diff_csv(const DiffReport& d, const DiffRenderOptions& options) {
  switch (options.rows) {
    case DiffRows::kLocks: return csv_table(diff_lock_columns(true), d.locks);
    case DiffRows::kSites: return csv_table(diff_site_columns(), d.sites);
    case DiffRows::kTotals: return csv_table(diff_figure_columns(), d.figures);
  }
  return {};
}

}  // namespace contend::analyze
