// What a user asked to see of a Report: filters and ordering, applied after
// aggregation (shares stay relative to all lock wait, filtered or not).
#pragma once

#include "report/report.h"

#include <cstdint>
#include <string>
#include <vector>

namespace contend::analyze {

struct ReportQuery {
  std::string sort = "wait";  // a lock column's key (lock_columns.h)
  std::string lock_pattern;   // glob ("*pool*") or plain substring of the name; "" = all
  uint64_t min_wait_ns = 0;   // locks that waited less are left out
};

// Filters and ranks report.locks and report.cond_waits. Throws
// std::invalid_argument for an unknown sort key.
void apply_query(Report& report, const ReportQuery& query);

// The call-site view: every waiting call site across the (filtered) locks,
// ranked by the wait there.
std::vector<SiteRow> site_view(const Report& report);

}  // namespace contend::analyze
