#include "cli/fail_conditions.h"

#include "columns/units.h"

#include <fmt/format.h>

#include <algorithm>
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

double parse_value(const std::string& text, MetricUnit unit, const std::string& whole) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  std::string suffix = end != nullptr ? std::string(end) : "";
  if (end == text.c_str() || v < 0)
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
  }
  const char* expected = unit == MetricUnit::kPercent    ? "a percentage (5%)"
                         : unit == MetricUnit::kDuration ? "a duration (1ms)"
                                                         : "a count";
  throw std::invalid_argument(fmt::format("'{}': the value must be {}", whole, expected));
}

std::string shown(double v, MetricUnit unit) {
  if (unit == MetricUnit::kPercent) return fmt::format("{:.2f}%", v);
  if (unit == MetricUnit::kDuration) return format_duration(static_cast<uint64_t>(v));
  return format_count(static_cast<uint64_t>(v));
}

}  // namespace

FailCondition parse_fail_condition(const std::string& text) {
  size_t at = text.find_first_of("<>");
  if (at == std::string::npos || at == 0)
    throw std::invalid_argument(fmt::format("'{}': expected METRIC>VALUE, such as contention>1%", text));
  FailCondition c;
  c.text = text;
  c.metric = &metric_called(text.substr(0, at));
  c.op = text.substr(at, at + 1 < text.size() && text[at + 1] == '=' ? 2 : 1);
  c.value = parse_value(text.substr(at + c.op.size()), c.metric->unit, text);
  return c;
}

std::vector<std::string> evaluate(const std::vector<FailCondition>& conditions, const Report& report) {
  std::vector<std::string> breaches;
  for (const FailCondition& c : conditions) {
    double v = c.metric->measure(report);
    bool breached = (c.op == ">" && v > c.value) || (c.op == ">=" && v >= c.value) ||
                    (c.op == "<" && v < c.value) || (c.op == "<=" && v <= c.value);
    if (!breached) continue;
    breaches.push_back(fmt::format("FAIL {}: {} is {}", c.text, c.metric->name, shown(v, c.metric->unit)));
  }
  return breaches;
}

}  // namespace contend::analyze
