// What the launcher says after the run: the traces the program's processes
// wrote and, under a wrapper (env, timeout, sh -c, an interpreter shim...),
// which of them holds the work.
#pragma once

#include "trace_files.h"

#include <cstdint>
#include <string>
#include <vector>

namespace contend::launch {

struct TraceActivity {
  TraceFile file;
  std::string command;  // the process's argv, quoted for a shell
  std::string name;     // its executable's file name
  uint64_t acquisitions = 0;
  uint64_t contended = 0;
  uint64_t wait_ns = 0;
  std::string error;  // the trace could not be read
};

// Reads one trace's totals (without symbols: only counts are needed).
TraceActivity summarize_trace(const TraceFile& file);

// The closing lines, each starting with "contend: ". One trace: its name
// and the report command. Several: one line per trace (the busiest ones when
// there are many), the trace with the most lock acquisitions, and the
// report command for all of them.
std::string closing_message(const std::vector<TraceFile>& traces);

}  // namespace contend::launch
