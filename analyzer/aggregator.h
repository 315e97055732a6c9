// Folds the records of one or more traces into a Report. Memory grows with
// distinct locks and threads, never with the number of events.
#pragma once

#include "model.h"
#include "trace_reader.h"

#include <memory>
#include <string>

namespace contend::analyze {

class Aggregator {
 public:
  Aggregator();
  ~Aggregator();
  Aggregator(const Aggregator&) = delete;
  Aggregator& operator=(const Aggregator&) = delete;

  // Reads a whole trace. Throws TraceError for files that cannot be read;
  // a truncated file adds a warning and what it holds.
  void add_trace(const std::string& path);

  // Ranks and totals everything added so far.
  Report finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace contend::analyze
