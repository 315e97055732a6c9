// Folds one or more traces into a Report: streams each file into plain
// accumulations (process_trace), then names locks and call sites
// (symbolizer) and ranks everything.
#pragma once

#include "aggregate/folded_stacks.h"
#include "model/decoded_trace.h"
#include "report/report.h"

#include <memory>
#include <string>
#include <vector>

namespace contend::analyze {

struct AggregateOptions {
  bool symbolize = true;                      // false: module+offset only, no debug info read
  uint32_t only_pid = 0;                      // nonzero: traces of other processes are skipped
  uint32_t only_tid = 0;                      // nonzero: only this thread's waits, holds and releases
  FoldedWeight folded = FoldedWeight::kNone;  // stacks for flame graphs
};

class Aggregator {
 public:
  explicit Aggregator(AggregateOptions options = {});
  ~Aggregator();
  Aggregator(const Aggregator&) = delete;
  Aggregator& operator=(const Aggregator&) = delete;

  // Reads a whole trace. Throws TraceError for files that cannot be read;
  // a truncated file adds a warning and what it holds.
  void add_trace(const std::string& path);

  // Names, ranks and totals everything added so far.
  Report finish();

 private:
  AggregateOptions options_;
  std::vector<DecodedTrace> processes_;
  std::vector<std::string> warnings_;
};

}  // namespace contend::analyze
