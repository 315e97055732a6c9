#include "cli/fail_conditions.h"

#include "columns/units.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace contend::analyze {

namespace {

enum class Unit { kPercent, kDuration, kCount };

Unit unit_of(const std::string& metric) {
  if (metric == "contention" || metric == "lock_share") return Unit::kPercent;
  if (metric == "p99" || metric == "max_wait" || metric == "wait") return Unit::kDuration;
  if (metric == "contended" || metric == "dropped") return Unit::kCount;
  throw std::invalid_argument(fmt::format(
      "unknown metric '{}' (one of: contention, lock_share, p99, max_wait, wait, contended, dropped)",
      metric));
}

double parse_value(const std::string& text, Unit unit, const std::string& whole) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  std::string suffix = end != nullptr ? std::string(end) : "";
  if (end == text.c_str() || v < 0)
    throw std::invalid_argument(fmt::format("'{}': bad value '{}'", whole, text));
  switch (unit) {
    case Unit::kPercent:
      if (suffix == "%" || suffix.empty()) return v;
      break;
    case Unit::kDuration:
      if (suffix == "ns") return v;
      if (suffix == "us") return v * 1e3;
      if (suffix == "ms") return v * 1e6;
      if (suffix == "s") return v * 1e9;
      break;
    case Unit::kCount:
      if (suffix.empty()) return v;
      break;
  }
  const char* expected = unit == Unit::kPercent    ? "a percentage (5%)"
                         : unit == Unit::kDuration ? "a duration (1ms)"
                                                   : "a count";
  throw std::invalid_argument(fmt::format("'{}': the value must be {}", whole, expected));
}

double measured(const std::string& metric, const Report& r) {
  auto max_over = [&](auto field) {
    double m = 0;
    for (const LockRow& l : r.locks) m = std::max(m, static_cast<double>(field(l)));
    return m;
  };
  if (metric == "contention") return r.summary.contention_pct;
  if (metric == "lock_share") return 100.0 * max_over([](const LockRow& l) { return l.share_of_wait; });
  if (metric == "p99") return max_over([](const LockRow& l) { return l.wait_p99_ns; });
  if (metric == "max_wait") return max_over([](const LockRow& l) { return l.wait_max_ns; });
  if (metric == "wait") return static_cast<double>(r.summary.wait_ns);
  if (metric == "contended") return static_cast<double>(r.summary.counts.contended);
  return static_cast<double>(r.summary.dropped_events);  // dropped
}

std::string shown(double v, Unit unit) {
  if (unit == Unit::kPercent) return fmt::format("{:.2f}%", v);
  if (unit == Unit::kDuration) return format_duration(static_cast<uint64_t>(v));
  return format_count(static_cast<uint64_t>(v));
}

}  // namespace

FailCondition parse_fail_condition(const std::string& text) {
  size_t at = text.find_first_of("<>");
  if (at == std::string::npos || at == 0)
    throw std::invalid_argument(fmt::format("'{}': expected METRIC>VALUE, such as contention>1%", text));
  FailCondition c;
  c.text = text;
  c.metric = text.substr(0, at);
  c.op = text.substr(at, at + 1 < text.size() && text[at + 1] == '=' ? 2 : 1);
  c.value = parse_value(text.substr(at + c.op.size()), unit_of(c.metric), text);
  return c;
}

std::vector<std::string> evaluate(const std::vector<FailCondition>& conditions, const Report& report) {
  std::vector<std::string> breaches;
  for (const FailCondition& c : conditions) {
    double v = measured(c.metric, report);
    bool breached = (c.op == ">" && v > c.value) || (c.op == ">=" && v >= c.value) ||
                    (c.op == "<" && v < c.value) || (c.op == "<=" && v <= c.value);
    if (!breached) continue;
    Unit unit = unit_of(c.metric);
    breaches.push_back(fmt::format("FAIL {}: {} is {}", c.text, c.metric, shown(v, unit)));
  }
  return breaches;
}

}  // namespace contend::analyze
