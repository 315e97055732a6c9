// The columns of a diff (contend-report diff): the totals side by side, the
// matched locks and the matched waiting call sites. Table cells show
// "before -> after (change)"; CSV carries each side's raw value.
#pragma once

#include "columns/column.h"
#include "diff/diff_report.h"

#include <string>
#include <vector>

namespace contend::analyze {

// `with_ops`: the per-operation columns too (both runs' operation counts known).
const std::vector<Column<LockDiff>>& diff_lock_columns(bool with_ops);
const std::vector<Column<SiteDiff>>& diff_site_columns();
const std::vector<Column<FigureDiff>>& diff_figure_columns();

// "+12.5%", "-100%", "new" (nothing before): a relative change for people.
std::string change_text(double pct);
// A figure's value for people, in its unit.
std::string figure_text(FigureUnit unit, double value);

}  // namespace contend::analyze
