// contend-report diff BASE NEW: two runs compared (diff/compare_runs.h).
// Its own options, as a CLI11 subcommand of contend-report's command line,
// and its run, which maps the result to contend-report's exit codes.
#pragma once

#include <CLI/CLI.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace contend::analyze {

struct DiffCommandOptions {
  std::string base;  // a trace, a directory of traces or a quoted glob
  std::string next;
  size_t format = 0;  // index in diff_formats()
  size_t top = 10;
  std::string rows = "lock";  // CSV rows: lock, site or totals
  std::string ops;            // "N" (both runs) or "N,M" (BASE, NEW)
  std::string lock_pattern;
  bool symbolize = true;
  std::vector<std::string> fail_if;
};

// Adds the "diff" subcommand to `app`, filling `options` when parsed.
CLI::App* add_diff_command(CLI::App& app, DiffCommandOptions& options);

// Runs a parsed diff; returns the exit code (0, 1 usage, 2 unreadable
// trace, 3 budget breached).
int run_diff(const DiffCommandOptions& options);

}  // namespace contend::analyze
