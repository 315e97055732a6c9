#include "cli/fail_conditions.h"

#include "columns/units.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace contend::analyze {

namespace {

const Metric& metric_called(const std::string& name) {
  const Metric* m = find_metric(name);
  if (m == nullptr)
    throw std::invalid_argument(fmt::format("unknown metric '{}' (one of: {})", name, metric_names()));
  return *m;
}

}  // namespace

double parse_budget_value(const std::string& text, MetricUnit unit, const std::string& whole,
                          bool allow_negative) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  std::string suffix = end != nullptr ? std::string(end) : "";
  if (end == text.c_str() || (v < 0 && !allow_negative))
    throw std::invalid_argument(fmt::format("'{}': bad value '{}'", whole, text));
  switch (unit) {
    case MetricUnit::kPercent:
      if (suffix == "%" || suffix.empty()) return v;
      break;
    case MetricUnit::kDuration:
      if (suffix == "ns") return v;
      if (suffix == "us") return v * 1e3;
      if (suffix == "ms") return v * 1e6;
      if (suffix == "s") return v * 1e9;
      break;
    case MetricUnit::kCount:
      if (suffix.empty()) return v;
      break;
    case MetricUnit::kPoints:
      if (suffix == "pt" || suffix.empty()) return v;
      break;
  }
  const char* expected = unit == MetricUnit::kPercent    ? "a percentage (5%)"
                         : unit == MetricUnit::kDuration ? "a duration (1ms)"
                         : unit == MetricUnit::kPoints   ? "percentage points (1pt)"
                                                         : "a count";
  throw std::invalid_argument(fmt::format("'{}': the value must be {}", whole, expected));
}

std::string budget_value_text(double v, MetricUnit unit) {
  if (unit == MetricUnit::kPercent) return std::isinf(v) ? "new (none before)" : fmt::format("{:.2f}%", v);
  if (unit == MetricUnit::kPoints) return fmt::format("{:+.2f} pt", v);
  if (unit == MetricUnit::kDuration) return format_duration(static_cast<uint64_t>(v));
  return format_count(static_cast<uint64_t>(v));
}

bool budget_breached(const std::string& op, double v, double limit) {
  return (op == ">" && v > limit) || (op == ">=" && v >= limit) || (op == "<" && v < limit) ||
         (op == "<=" && v <= limit);
}

BudgetText split_budget(const std::string& text, const char* example) {
  size_t at = text.find_first_of("<>");
  if (at == std::string::npos || at == 0)
    throw std::invalid_argument(fmt::format("'{}': expected METRIC>VALUE, such as {}", text, example));
  BudgetText b;
  b.metric = text.substr(0, at);
  b.op = text.substr(at, at + 1 < text.size() && text[at + 1] == '=' ? 2 : 1);
  b.value = text.substr(at + b.op.size());
  return b;
}

FailCondition parse_fail_condition(const std::string& text) {
  BudgetText b = split_budget(text, "contention>1%");
  FailCondition c;
  c.text = text;
  c.metric = &metric_called(b.metric);
  c.op = b.op;
  c.value = parse_budget_value(b.value, c.metric->unit, text);
  return c;
}

std::vector<std::string> evaluate(const std::vector<FailCondition>& conditions, const Report& report) {
  std::vector<std::string> breaches;
  for (const FailCondition& c : conditions) {
    double v = c.metric->measure(report);
    if (!budget_breached(c.op, v, c.value)) continue;
    breaches.push_back(
        fmt::format("FAIL {}: {} is {}", c.text, c.metric->name, budget_value_text(v, c.metric->unit)));
  }
  return breaches;
}

}  // namespace contend::analyze
