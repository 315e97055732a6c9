#include "aggregator.h"
#include "render_dump.h"
#include "report_options.h"
#include "trace_error.h"

#include <fmt/format.h>

#include <cstdio>

namespace contend::analyze {

int run_report(const ReportOptions& options) {
  try {
    if (options.dump) {
      for (const std::string& path : options.traces) dump_trace(path, stdout);
      return kExitOk;
    }
    Aggregator aggregator;
    for (const std::string& path : options.traces) aggregator.add_trace(path);
    Report report = aggregator.finish();
    for (const std::string& w : report.warnings) fmt::print(stderr, "contend-report: warning: {}\n", w);
    std::string text = options.format == OutputFormat::kJson ? render_json(report, options.render)
                                                             : render_table(report, options.render);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return kExitOk;
  } catch (const TraceError& e) {
    std::fflush(stdout);
    fmt::print(stderr, "contend-report: {}\n", e.what());
    return kExitBadTrace;
  }
}

}  // namespace contend::analyze
