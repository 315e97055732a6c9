// The time view's columns: one list for the time line's intervals, one for
// its phases (columns/column.h).
#pragma once

#include "columns/column.h"
#include "report/report.h"

#include <vector>

namespace contend::analyze {

const std::vector<Column<IntervalRow>>& interval_columns();
const std::vector<Column<PhaseRow>>& phase_columns();

}  // namespace contend::analyze
