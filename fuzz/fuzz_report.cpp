#include "fuzz_report.h"

#include "aggregate/aggregator.h"
#include "read/trace_error.h"
#include "render/render.h"
#include "render/render_dump.h"

#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace contend::fuzz {

namespace {

// The input as a file the reader can open by path, without touching disk.
class MemoryFile {
 public:
  MemoryFile(const uint8_t* data, size_t size) : fd_(memfd_create("fuzz-trace", MFD_CLOEXEC)) {
    size_t done = 0;
    while (fd_ >= 0 && done < size) {
      ssize_t n = write(fd_, data + done, size - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
  }
  ~MemoryFile() {
    if (fd_ >= 0) close(fd_);
  }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  std::string path() const { return fmt::format("/proc/self/fd/{}", fd_); }

 private:
  int fd_;
};

}  // namespace

void run_report_on(const uint8_t* data, size_t size) {
  MemoryFile file(data, size);
  analyze::AggregateOptions options;
  options.symbolize = false;                      // module paths in the input must not be opened
  options.folded = analyze::FoldedWeight::kWait;  // exercise the folded stacks too
  options.profile = true;                         // and the profile samples (pprof)
  options.timeline = true;                        // and the time line, phases and single events
  options.decode.max_events = 1000;
  try {
    analyze::Aggregator aggregator(options);
    aggregator.add_trace(file.path());
    analyze::Report report = aggregator.finish();
    analyze::RenderOptions render;
    (void)analyze::render_table(report, render);
    (void)analyze::render_json(report, render);
    (void)analyze::render_csv(report, render);
    (void)analyze::render_folded(report, render);
    (void)analyze::render_pprof(report, render);
    (void)analyze::render_prometheus(report, render);
    (void)analyze::render_chrome_trace(report, render);
    (void)analyze::render_html(report, render);
  } catch (const analyze::TraceError&) {
  }
  static std::FILE* sink = std::fopen("/dev/null", "w");
  try {
    analyze::dump_trace(file.path(), sink);
  } catch (const analyze::TraceError&) {
  }
}

}  // namespace contend::fuzz
