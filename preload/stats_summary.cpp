#include "stats_summary.h"

#include "aggregate/aggregator.h"
#include "render/render.h"

#include <unistd.h>
#include <string>

namespace contend::preload {

namespace {
void write_all(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}
}  // namespace

void print_stats_summary(const char* trace_path, int fd) {
  std::string text;
  try {
    analyze::Aggregator aggregator;
    aggregator.add_trace(trace_path);
    analyze::Report report = aggregator.finish();
    analyze::RenderOptions options;
    options.top = 5;
    text = analyze::render_table(report, options);
    text = "\n" + text + "Full report: contend-report " + std::string(trace_path) + "\n";
  } catch (const std::exception& e) {
    text = std::string("contend: cannot summarize ") + trace_path + ": " + e.what() + "\n";
  } catch (...) {
    text = std::string("contend: cannot summarize ") + trace_path + "\n";
  }
  write_all(fd, text);
}

}  // namespace contend::preload
