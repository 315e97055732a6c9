// The columns of the lock view (and the --sort keys): one entry each.
#pragma once

#include "columns/column.h"
#include "report/report.h"

#include <vector>

namespace contend::analyze {

const std::vector<Column<LockRow>>& lock_columns();

}  // namespace contend::analyze
