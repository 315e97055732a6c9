// contend-report's command line, parsed into plain values.
#pragma once

#include "aggregate/aggregator.h"
#include "cli/fail_conditions.h"
#include "render/output_formats.h"

#include <string>
#include <vector>

namespace contend::analyze {

struct ReportOptions {
  std::vector<std::string> traces;  // files, or glob patterns
  size_t format = 0;                // index in output_formats()
  RenderOptions render;
  AggregateOptions aggregate;
  std::string sort = "wait";  // a lock column's key (columns/lock_columns.h)
  LockSelection selection;    // rank_by: from `sort`
  std::vector<FailCondition> fail_if;
  bool dump = false;
  uint64_t operations = 0;       // --ops: per-operation figures; 0 = none
  uint64_t max_events = 200000;  // -f perfetto: waits and holds drawn, the longest kept
};

// Exit codes, documented in README.md.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 1;
inline constexpr int kExitBadTrace = 2;
inline constexpr int kExitBudgetBreached = 3;

// "1ms", "250us", "2s", "100ns" or a bare number of nanoseconds. Throws
// std::invalid_argument.
uint64_t parse_duration_ns(const std::string& text);

// Trace arguments as given: a pattern the shell did not expand (quoted, or
// from a script) is expanded (PATH.old files left out); anything else is a
// file name. Throws TraceError for a pattern that matches nothing.
std::vector<std::string> expand_traces(const std::vector<std::string>& args);
// --from, --to and --interval ("" when not given) into the aggregation's
// options. Throws std::invalid_argument.
void parse_window(const std::string& from, const std::string& to, const std::string& interval,
                  AggregateOptions& options);
// The index in output_formats() of a --format name (any case). Throws
// std::invalid_argument naming the formats there are.
size_t format_index(const std::string& name);

// The table's width: COLUMNS when set, else the terminal's when standard
// output is one, else 120.
size_t terminal_columns();

// Runs the report for already-parsed options; returns the exit code.
int run_report(ReportOptions options);

}  // namespace contend::analyze
