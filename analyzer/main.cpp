// contend-report: parse the command line, run, map the result to an exit code.
#include "report_options.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <map>

#ifndef CONTEND_VERSION
#define CONTEND_VERSION "unknown"
#endif

int main(int argc, char** argv) {
  using namespace contend::analyze;
  ReportOptions options;
  CLI::App app{"contend-report: lock-contention hotspots from contend traces", "contend-report"};
  app.set_version_flag("--version", std::string("contend-report ") + CONTEND_VERSION);
  app.add_option("traces", options.traces, "trace files written by libcontend.so")->required();
  app.add_option("--top", options.render.top, "rows per ranked list")
      ->default_val(5)
      ->check(CLI::Range(1, 1000000));
  std::map<std::string, OutputFormat> formats{{"table", OutputFormat::kTable}, {"json", OutputFormat::kJson}};
  app.add_option("--format", options.format, "output format: table or json")
      ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case))
      ->default_str("table");
  app.add_flag("--dump", options.dump, "print every record, one per line, instead of a report");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "contend-report: {}\nRun with --help for usage.\n", e.what());
    return kExitUsage;
  }
  return run_report(options);
}
