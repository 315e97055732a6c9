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

// The pieces every budget shares (contend-report diff's too).
struct BudgetText {
  std::string metric;
  std::string op;
  std::string value;
};
// "METRIC OP VALUE" split; `example` goes into the error message.
BudgetText split_budget(const std::string& text, const char* example);
// VALUE as `unit` reads it (percent, nanoseconds, a count or points);
// `whole` is the condition, for the error message. Changes may be
// negative (wait_increase>-50%: the wait must at least halve).
double parse_budget_value(const std::string& text, MetricUnit unit, const std::string& whole,
                          bool allow_negative = false);
bool budget_breached(const std::string& op, double value, double limit);
// A measured value as a verdict line shows it.
std::string budget_value_text(double value, MetricUnit unit);

// One line per breached condition; empty when all hold.
std::vector<std::string> evaluate(const std::vector<FailCondition>& conditions, const Report& report);

}  // namespace contend::analyze
