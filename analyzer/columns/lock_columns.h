// The columns of the lock table, described once (as perf lock does): header,
// how a cell reads for people, the raw value machines get (CSV), the sort
// key it provides, and what it means (the legend). The table, CSV and the
// --sort option all read this list; adding a column is adding a row here.
#pragma once

#include "report/report.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace contend::analyze {

struct LockColumn {
  std::string_view header;  // table header
  std::string_view key;     // CSV header and --sort name ("" = not a sort key)
  bool right_align;
  std::function<std::string(const LockRow&, size_t rank)> cell;  // scaled units
  std::function<std::string(const LockRow&)> raw;                // raw numbers (CSV)
  std::function<double(const LockRow&)> sort_value;              // larger ranks first; null = none
  std::string_view legend;
};

const std::vector<LockColumn>& lock_columns();

// The column a --sort name refers to, or nullptr.
const LockColumn* sort_column(std::string_view key);

// The --sort names, for help text and error messages.
std::vector<std::string> sort_keys();

}  // namespace contend::analyze
