// The diff stage: two runs' reports (each aggregated on its own, from one
// trace, a forked family or a glob) into a DiffReport. Locks match by name
// and kind, call sites by key; nothing here depends on addresses or pids.
#pragma once

#include "diff/diff_report.h"
#include "report/report.h"

#include <cstdint>

namespace contend::analyze {

struct DiffOptions {
  uint64_t base_operations = 0;  // operations each run did (--ops); 0 = unknown
  uint64_t new_operations = 0;
};

DiffReport compare_runs(const Report& base, const Report& next, const DiffOptions& options = {});

}  // namespace contend::analyze
