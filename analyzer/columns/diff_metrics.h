// Numbers about a diff that a CI budget can hold a change to
// (contend-report diff --fail-if): one entry each in diff_metrics.cpp.
// Increases are NEW minus BASE, so a budget such as wait_increase>10%
// fails only when the new run is worse.
#pragma once

#include "columns/report_metrics.h"
#include "diff/diff_report.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace contend::analyze {

struct DiffMetric {
  std::string_view name;
  MetricUnit unit;
  std::string_view meaning;
  std::function<double(const DiffReport&)> measure;
};

const std::vector<DiffMetric>& diff_metrics();

// The metric called `name`, or nullptr.
const DiffMetric* find_diff_metric(std::string_view name);

// "wait_increase, contention_increase, ...", for help text and error messages.
std::string diff_metric_names();

}  // namespace contend::analyze
