// A sweep's figures as a table (stdout) and as JSON (DIR/sweep.json, and
// stdout with -f json; the schema is docs/SWEEP_JSON.md).
#pragma once

#include "sweep_options.h"
#include "sweep_table.h"

#include <string>
#include <vector>

namespace contend::launch {

struct SweepResult {
  const SweepOptions* options = nullptr;
  std::vector<SweepRun> runs;
  std::vector<SweepPoint> points;
  ScalingVerdict verdict;
  std::string svg_path;   // "" when not written
  std::string json_path;  // "" when not written
};

std::string render_sweep_table(const SweepResult& result);
std::string render_sweep_json(const SweepResult& result);

}  // namespace contend::launch
