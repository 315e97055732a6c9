// The columns of the site view: one entry each.
#pragma once

#include "columns/column.h"
#include "report/report.h"

#include <vector>

namespace contend::analyze {

const std::vector<Column<SiteRow>>& site_columns();

}  // namespace contend::analyze
