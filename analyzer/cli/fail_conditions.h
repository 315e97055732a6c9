// --fail-if: budgets a CI job can hold a program to. A condition is
// METRIC OP VALUE, e.g. "contention>1%", "lock_share>5%", "p99>1ms"; the
// metrics are columns/report_metrics.cpp's. OP is one of > >= < <=. A
// breached condition prints one verdict line.
#pragma once

#include "columns/report_metrics.h"
#include "report/report.h"

#include <string>
#include <vector>

namespace contend::analyze {

struct FailCondition {
  std::string text;  // as given
  const Metric* metric = nullptr;
  std::string op;
  double value = 0;  // percent, nanoseconds or a count
};

// Throws std::invalid_argument with a one-line reason.
FailCondition parse_fail_condition(const std::string& text);

// One line per breached condition; empty when all hold.
std::vector<std::string> evaluate(const std::vector<FailCondition>& conditions, const Report& report);

}  // namespace contend::analyze
