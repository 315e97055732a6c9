// contend-report diff --fail-if: budgets on the change between two runs,
// METRIC OP VALUE with the metrics of columns/diff_metrics.cpp, e.g.
// "wait_increase>10%", "contention_increase>1pt", "new_locks>0". A value may
// be negative: "wait_increase>-50%" fails unless the wait at least halved.
#pragma once

#include "columns/diff_metrics.h"
#include "diff/diff_report.h"

#include <string>
#include <vector>

namespace contend::analyze {

struct DiffFailCondition {
  std::string text;  // as given
  const DiffMetric* metric = nullptr;
  std::string op;
  double value = 0;
};

// Throws std::invalid_argument with a one-line reason.
DiffFailCondition parse_diff_fail_condition(const std::string& text);

// One "FAIL ..." line per breached condition; empty when all hold.
std::vector<std::string> evaluate_diff(const std::vector<DiffFailCondition>& conditions,
                                       const DiffReport& diff);

}  // namespace contend::analyze
