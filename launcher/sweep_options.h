// contend sweep's command line, parsed into plain values:
//
//   contend sweep [--threads 1,2,4,8] [--repeat N] [--throughput REGEX]
//                 [--ops N|EXPR|REGEX] [-o DIR] [-f table|json] -- PROGRAM ARGS
//
// "{threads}" in ARGS, and $CONTEND_THREADS in the program's environment,
// become each count in turn.
#pragma once

#include <string>
#include <vector>

namespace contend::launch {

struct SweepOptions {
  std::vector<unsigned> threads;  // increasing; empty: 1, 2, 4 ... up to 2 x cores
  unsigned repeat = 1;            // runs per count; figures are their medians
  std::string throughput;         // REGEX: the program's own throughput, read from its output
  std::string ops;                // operations per run: N, "N*{threads}", or a REGEX read from the output
  std::string output_dir = "contend-sweep";  // traces, outputs, sweep.json and sweep.svg
  bool json = false;                         // JSON on stdout instead of the table
  bool quiet = false;                        // no progress lines on stderr
  std::vector<std::string> command;          // the program's argv
};

}  // namespace contend::launch
