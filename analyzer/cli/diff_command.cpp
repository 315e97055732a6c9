#include "cli/diff_command.h"

#include "aggregate/aggregator.h"
#include "cli/diff_fail_conditions.h"
#include "cli/report_options.h"
#include "diff/compare_runs.h"
#include "read/trace_error.h"
#include "render/diff_render.h"

#include <contend/trace_format.h>

#include <fmt/format.h>

#include <dirent.h>
#include <sys/stat.h>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <stdexcept>

namespace contend::analyze {

namespace {

// True when the file starts as a trace does (a sweep's run directory also
// holds the program's output).
bool looks_like_trace(const std::string& path) {
  char magic[sizeof(format::kMagic)] = {};
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  bool ok = std::fread(magic, 1, sizeof(magic), f) == sizeof(magic) &&
            std::memcmp(magic, format::kMagic, sizeof(magic)) == 0;
  std::fclose(f);
  return ok;
}

// A directory stands for every trace in it (contend -o DIR/ writes one per
// process, contend sweep one directory per run); anything else is a file
// or a pattern (report's rules).
std::vector<std::string> traces_of_side(const std::string& arg) {
  struct stat st;
  if (stat(arg.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return expand_traces({arg});
  std::vector<std::string> out;
  if (DIR* dir = opendir(arg.c_str())) {
    while (dirent* e = readdir(dir)) {
      std::string name = e->d_name;
      std::string path = arg + (arg.back() == '/' ? "" : "/") + name;
      bool old = name.size() >= 4 && name.compare(name.size() - 4, 4, ".old") == 0;
      if (name[0] != '.' && !old && stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
          looks_like_trace(path))
        out.push_back(path);
    }
    closedir(dir);
  }
  if (out.empty()) throw TraceError(arg, "no trace in this directory");
  std::sort(out.begin(), out.end());
  return out;
}

Report aggregate_side(const std::string& arg, const DiffCommandOptions& o) {
  AggregateOptions options;
  options.symbolize = o.symbolize;
  Aggregator aggregator(options);
  for (const std::string& path : traces_of_side(arg)) aggregator.add_trace(path);
  LockSelection selection;
  selection.name_pattern = o.lock_pattern;
  return aggregator.finish(selection);
}

uint64_t parse_count(const std::string& text) {
  size_t used = 0;
  unsigned long long v = 0;
  try {
    v = std::stoull(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || v == 0)
    throw std::invalid_argument(fmt::format("--ops: '{}' is not a positive count of operations", text));
  return v;
}

DiffOptions diff_options(const std::string& ops) {
  DiffOptions d;
  if (ops.empty()) return d;
  size_t comma = ops.find(',');
  d.base_operations = parse_count(ops.substr(0, comma));
  d.new_operations = comma == std::string::npos ? d.base_operations : parse_count(ops.substr(comma + 1));
  return d;
}

DiffRows rows_called(const std::string& name) {
  if (name == "lock") return DiffRows::kLocks;
  if (name == "site") return DiffRows::kSites;
  return DiffRows::kTotals;
}

}  // namespace

CLI::App* add_diff_command(CLI::App& app, DiffCommandOptions& o) {
  CLI::App* diff = app.add_subcommand(
      "diff",
      "compare two runs: BASE and NEW are each a trace, a directory of traces or a quoted glob "
      "(a forked family)");
  diff->add_option("base", o.base, "the run before the change")->required();
  diff->add_option("new", o.next, "the run after the change")->required();
  std::map<std::string, size_t> formats;
  for (size_t i = 0; i < diff_formats().size(); ++i) formats[std::string(diff_formats()[i].name)] = i;
  std::string help;
  for (const DiffFormat& f : diff_formats()) help += (help.empty() ? "" : ", ") + std::string(f.help);
  diff->add_option("-f,--format", o.format, help)
      ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case))
      ->type_name("ENUM")
      ->default_str("table");
  diff->add_option("--rows", o.rows, "CSV rows: lock (default), site or totals")
      ->check(CLI::IsMember({"lock", "site", "totals"}));
  diff->add_option("--top", o.top, "table rows per list (JSON and CSV carry every row)")
      ->default_val(10)
      ->check(CLI::Range(1, 1000000));
  diff->add_option("--ops", o.ops,
                   "operations each run did, for throughput and per-operation figures: N (both) or "
                   "BASE_N,NEW_N");
  diff->add_option("--lock", o.lock_pattern, "only locks whose name matches (glob, or substring)");
  diff->add_option("--fail-if", o.fail_if,
                   "exit 3 when a budget is breached, e.g. wait_increase>10% contention_increase>1pt "
                   "(repeatable; metrics: " +
                       diff_metric_names() + ")")
      ->allow_extra_args(false);
  diff->add_flag(
      "--no-symbols", [&o](int64_t) { o.symbolize = false; },
      "do not read debug information: module+offset only (locks named by address do not match)");
  return diff;
}

int run_diff(const DiffCommandOptions& o) {
  std::vector<DiffFailCondition> budgets;
  DiffOptions options;
  try {
    for (const std::string& f : o.fail_if) budgets.push_back(parse_diff_fail_condition(f));
    options = diff_options(o.ops);
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "contend-report: {}\n", e.what());
    return kExitUsage;
  }
  try {
    Report base = aggregate_side(o.base, o);
    Report next = aggregate_side(o.next, o);
    DiffReport diff = compare_runs(base, next, options);
    for (const std::string& w : diff.warnings) fmt::print(stderr, "contend-report: warning: {}\n", w);
    DiffRenderOptions render{o.top, rows_called(o.rows)};
    std::string text = diff_formats().at(o.format).render(diff, render);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    std::vector<std::string> breaches = evaluate_diff(budgets, diff);
    for (const std::string& b : breaches) fmt::print(stderr, "contend-report: {}\n", b);
    return breaches.empty() ? kExitOk : kExitBudgetBreached;
  } catch (const TraceError& e) {
    std::fflush(stdout);
    fmt::print(stderr, "contend-report: {}\n", e.what());
    return kExitBadTrace;
  }
}

}  // namespace contend::analyze
