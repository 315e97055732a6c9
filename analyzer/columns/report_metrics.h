// Numbers about a whole report that a budget can hold it to (--fail-if):
// one entry each in report_metrics.cpp; parsing, help and verdicts follow.
#pragma once

#include "report/report.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace contend::analyze {

// What a metric's value is, and so how a budget's value is written.
enum class MetricUnit {
  kPercent,   // 0..100; "5%" or "5"
  kDuration,  // nanoseconds; "1ms", "250us", "2s", "100ns"
  kCount,     // "3"
  kPoints,    // a difference of percentages, in points: "1pt" or "1"
};

struct Metric {
  std::string_view name;
  MetricUnit unit;
  std::string_view meaning;
  std::function<double(const Report&)> measure;
};

const std::vector<Metric>& report_metrics();

// The metric called `name`, or nullptr.
const Metric* find_metric(std::string_view name);

// "contention, lock_share, ...", for help text and error messages.
std::string metric_names();

}  // namespace contend::analyze
