// contend-report: parse the command line, run, map the result to an exit code.
#include "cli/diff_command.h"
#include "cli/report_options.h"
#include "columns/lock_columns.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <map>

#ifndef CONTEND_VERSION
#define CONTEND_VERSION "unknown"
#endif

int main(int argc, char** argv) {
  using namespace contend::analyze;
  ReportOptions o;
  std::string min_wait, weight = "wait", from, to, interval;
  std::vector<std::string> fail_if;
  CLI::App app{"contend-report: lock-contention hotspots from contend traces", "contend-report"};
  app.set_version_flag("--version", std::string("contend-report ") + CONTEND_VERSION);
  // Required unless a subcommand runs instead (checked after parsing).
  app.add_option("traces", o.traces, "trace files (or quoted glob patterns) written by libcontend.so");
  std::string format_name = "table";
  app.add_option("-f,--format", format_name, output_formats_help())
      ->type_name("FORMAT")
      ->default_str("table");
  std::map<std::string, Grouping> views{{"lock", Grouping::kLock},
                                        {"site", Grouping::kSite},
                                        {"thread", Grouping::kThread},
                                        {"time", Grouping::kTime}};
  app.add_option(
         "--view", o.aggregate.grouping,
         "rows: lock (default), site (waiting call sites), thread, or time (the time line and its phases)")
      ->transform(CLI::CheckedTransformer(views, CLI::ignore_case))
      ->default_str("lock");
  app.add_option("--top", o.render.top, "rows per ranked list (table: 5; json and csv: all unless given)")
      ->default_val(5)
      ->check(CLI::Range(1, 1000000));
  app.add_flag("--wide", o.render.wide, "every table column, whatever the terminal's width (COLUMNS)");
  app.add_option("--sites", o.render.sites, "call sites listed per lock")
      ->default_val(5)
      ->check(CLI::Range(1, 10000));
  std::string sort_help = "rank locks by: ";
  for (const std::string& k : sort_keys(lock_columns())) sort_help += k + " ";
  app.add_option("-s,--sort", o.sort, sort_help)->default_val("wait");
  app.add_option("--lock", o.selection.name_pattern, "only locks whose name matches (glob, or substring)");
  app.add_option("--thread", o.aggregate.decode.only_tid,
                 "only this thread's waits, holds and releases (tid)");
  app.add_option("--pid", o.aggregate.only_pid, "only this process, among several traces");
  app.add_option("--from", from,
                 "only what happened from this time on (since the first trace's start: 1.5s, 200ms...)");
  app.add_option("--to", to, "only what happened before this time (since the first trace's start)");
  app.add_option("--interval", interval, "the time line's interval (default: about 40 over the run)");
  app.add_option("--max-events", o.max_events, "waits and holds drawn by -f perfetto (the longest kept)")
      ->default_val(o.max_events)
      ->check(CLI::Range(uint64_t{1}, uint64_t{100000000}));
  app.add_option("--min-wait", min_wait, "only locks that waited at least this long (1ms, 250us...)");
  std::map<std::string, FoldedWeight> weights{
      {"wait", FoldedWeight::kWait}, {"contended", FoldedWeight::kContended}, {"hold", FoldedWeight::kHold}};
  app.add_option("--weight", o.aggregate.folded,
                 "folded stacks weighed by wait (ns), contended (count) or hold (ns)")
      ->transform(CLI::CheckedTransformer(weights, CLI::ignore_case));
  app.add_option("--fail-if", fail_if,
                 "exit 3 when a budget is breached, e.g. contention>1% lock_share>5% p99>1ms (repeatable; "
                 "metrics: " +
                     metric_names() + ")")
      ->allow_extra_args(false);  // one budget per --fail-if: the traces that follow stay traces
  app.add_flag(
      "--no-symbols", [&o](int64_t) { o.aggregate.symbolize = false; },
      "do not read debug information: module+offset only (faster)");
  app.add_option("--wrapper", o.aggregate.wrappers.patterns,
                 "a function that only locks for its callers (glob, repeatable): call sites are its callers, "
                 "as for the built-in list (docs/CALL_SITES.md)")
      ->type_name("PATTERN")
      ->allow_extra_args(false);
  app.add_flag("--raw-sites", o.aggregate.wrappers.raw,
               "call sites are the innermost frames that called the lock, wrappers included");
  app.add_flag("--dump", o.dump, "print every record, one per line, instead of a report");
  app.add_option("--ops", o.operations,
                 "operations the run did: adds acquisitions, contended acquisitions and wait per operation")
      ->check(CLI::PositiveNumber);
  DiffCommandOptions diff_options;
  CLI::App* diff = add_diff_command(app, diff_options);
  app.require_subcommand(0, 1);
  try {
    app.parse(argc, argv);
    if (diff->parsed()) return run_diff(diff_options);
    if (o.traces.empty()) throw CLI::RequiredError("traces");
    o.format = format_index(format_name);
    o.render.top_given = app.count("--top") > 0;
    o.render.width = terminal_columns();
    if (!min_wait.empty()) o.selection.min_wait_ns = parse_duration_ns(min_wait);
    parse_window(from, to, interval, o.aggregate);
    for (const std::string& f : fail_if) o.fail_if.push_back(parse_fail_condition(f));
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "contend-report: {} (see --help)\n", e.what());
    return kExitUsage;
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "contend-report: {}\n", e.what());
    return kExitUsage;
  }
  return run_report(std::move(o));
}
