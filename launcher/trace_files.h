// After the run: which trace files the profiled processes wrote.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace contend::launch {

struct TraceFile {
  std::string path;
  uint32_t pid = 0;
  uint32_t ppid = 0;
  uint64_t start_realtime_ns = 0;  // from the trace's header
};

// The traces written for `pattern` (CONTEND_OUTPUT) by processes that
// started at or after `since_ns` (CLOCK_REALTIME), in the order they
// started: PATH with the PATH.PID files of other processes (and PATH.old
// when one of them moved an earlier trace of the run aside), the files a
// "%p" expands to, or DIR/contend.PID[.N].trace for a directory. The time is
// read from each file's header, so traces of earlier runs in the same place
// are left out, and so is whatever is not a trace.
std::vector<TraceFile> find_traces(const std::string& pattern, uint64_t since_ns);

}  // namespace contend::launch
