#include "cli/diff_fail_conditions.h"

#include "cli/fail_conditions.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace contend::analyze {

DiffFailCondition parse_diff_fail_condition(const std::string& text) {
  BudgetText b = split_budget(text, "wait_increase>10%");
  const DiffMetric* m = find_diff_metric(b.metric);
  if (m == nullptr)
    throw std::invalid_argument(
        fmt::format("unknown diff metric '{}' (one of: {})", b.metric, diff_metric_names()));
  return {text, m, b.op, parse_budget_value(b.value, m->unit, text, /*allow_negative=*/true)};
}

std::vector<std::string> evaluate_diff(const std::vector<DiffFailCondition>& conditions,
                                       const DiffReport& diff) {
  std::vector<std::string> breaches;
  for (const DiffFailCondition& c : conditions) {
    double v = c.metric->measure(diff);
    if (!budget_breached(c.op, v, c.value)) continue;
    std::string shown = c.metric->unit == MetricUnit::kPercent && !std::isinf(v)
                            ? fmt::format("{:+.2f}%", v)
                            : budget_value_text(v, c.metric->unit);
    breaches.push_back(fmt::format("FAIL {}: {} is {}", c.text, c.metric->name, shown));
  }
  return breaches;
}

}  // namespace contend::analyze
