// Folds one or more traces into a Report: decodes each file into plain
// accumulations (model/decoded_trace), then builds rows grouped by lock,
// call site and thread (naming locks and call sites with the symbolizer),
// selects and ranks the locks, and totals everything.
#pragma once

#include "aggregate/folded_stacks.h"
#include "aggregate/lock_selection.h"
#include "model/decoded_trace.h"
#include "report/report.h"
#include "symbolize/lock_wrappers.h"

#include <string>
#include <vector>

namespace contend::analyze {

struct AggregateOptions {
  bool symbolize = true;                      // false: module+offset only, no debug info read
  uint32_t only_pid = 0;                      // nonzero: traces of other processes are skipped
  DecodeOptions decode;                       // what each trace's decoding keeps
  FoldedWeight folded = FoldedWeight::kNone;  // stacks for flame graphs
  Grouping grouping = Grouping::kLock;        // the rows a table or CSV lays out
  bool profile = false;                       // LockRow::profile and Report::profile (pprof)
  bool timeline = false;                      // Report::timeline (decodes with time buckets)
  uint64_t interval_ns = 0;                   // the time line's interval (0: about 40 of them)
  // DecodeOptions::max_events (nonzero) also fills Report::events; from_ns
  // and to_ns (--from/--to) are since the first trace's start.
  WrapperOptions wrappers;  // --wrapper, --raw-sites
};

class Aggregator {
 public:
  explicit Aggregator(AggregateOptions options = {});
  ~Aggregator();
  Aggregator(const Aggregator&) = delete;
  Aggregator& operator=(const Aggregator&) = delete;

  // Reads a whole trace. Throws TraceError for files that cannot be read;
  // a truncated file adds a warning and what it holds. An empty file (its
  // process killed between creating it and writing the header) is skipped
  // with a warning, unless it is all there is (finish throws then).
  void add_trace(const std::string& path);

  // True when no trace was kept (none added, or none of `only_pid`).
  bool empty() const { return processes_.empty(); }

  // Names, totals, selects and ranks everything added so far.
  Report finish(const LockSelection& selection = {});

 private:
  AggregateOptions options_;
  std::vector<DecodedTrace> processes_;
  std::vector<std::string> warnings_;
  std::vector<std::string> empty_traces_;
  uint64_t origin_monotonic_ns_ = 0;  // the first trace's start: the common clock's zero
};

}  // namespace contend::analyze
