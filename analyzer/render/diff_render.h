// Renderers of a diff (contend-report diff): a DiffReport in, text out. The
// formats are one table (diff_formats), as output_formats is for reports.
#pragma once

#include "diff/diff_report.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace contend::analyze {

// The rows CSV lays out; the table shows all three, JSON carries all three.
enum class DiffRows { kLocks, kSites, kTotals };

struct DiffRenderOptions {
  size_t top = 10;  // table rows per list (JSON and CSV carry every row)
  DiffRows rows = DiffRows::kLocks;
};

// The verdict: one paragraph that names the lock that changed most and the
// totals (written once here for the table and JSON alike).
std::string diff_verdict(const DiffReport& diff);

std::string render_diff_table(const DiffReport& diff, const DiffRenderOptions& options);
// Schema: docs/DIFF_JSON.md.
std::string render_diff_json(const DiffReport& diff, const DiffRenderOptions& options);
std::string render_diff_csv(const DiffReport& diff, const DiffRenderOptions& options);

struct DiffFormat {
  std::string_view name;
  std::string_view help;
  std::string (*render)(const DiffReport&, const DiffRenderOptions&);
};

// The first is the default.
const std::vector<DiffFormat>& diff_formats();

}  // namespace contend::analyze
