// contend-report's command line, parsed into plain values.
#pragma once

#include "render.h"

#include <string>
#include <vector>

namespace contend::analyze {

enum class OutputFormat { kTable, kJson };

struct ReportOptions {
  std::vector<std::string> traces;
  OutputFormat format = OutputFormat::kTable;
  RenderOptions render;
  bool dump = false;
};

// Exit codes, documented in README.md.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 1;
inline constexpr int kExitBadTrace = 2;

// Runs the report for already-parsed options; returns the exit code.
int run_report(const ReportOptions& options);

}  // namespace contend::analyze
