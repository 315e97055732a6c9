// The columns of the thread view: one entry each.
#pragma once

#include "columns/column.h"
#include "report/report.h"

#include <vector>

namespace contend::analyze {

const std::vector<Column<ThreadRow>>& thread_columns();

}  // namespace contend::analyze
