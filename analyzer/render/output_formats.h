// contend-report's output formats, one entry each (output_formats.cpp):
// --format's names, and the renderer each one calls.
#pragma once

#include "render/render.h"

#include <string>
#include <string_view>
#include <vector>

namespace contend::analyze {

struct OutputFormat {
  std::string_view name;
  std::string_view help;  // as --help lists it
  std::string (*render)(const Report&, const RenderOptions&);
  bool needs_stacks;  // the aggregation must keep each lock's stacks (AggregateOptions::folded)
  // ... its stacks by thread, as profile samples (AggregateOptions::profile).
  bool needs_profile = false;
  bool needs_timeline = false;  // ... the time line (AggregateOptions::timeline)
  bool needs_events = false;    // ... single waits and holds (DecodeOptions::max_events)
};

// The first is the default.
const std::vector<OutputFormat>& output_formats();

// "table, json (...), csv, or folded stacks", for --help.
std::string output_formats_help();

}  // namespace contend::analyze
