// Renderers: a Report in, text out; they lay rows out and compute nothing.
// Tables scale units for people; machine formats carry raw nanoseconds.
#pragma once

#include "report/report.h"

#include <cstddef>
#include <string>

namespace contend::analyze {

// How much to show; what the rows are is the report's (Report::grouping).
struct RenderOptions {
  size_t top = 5;          // rows per ranked list
  bool top_given = false;  // --top given: machine formats carry every row unless it is
  size_t sites = 5;        // call sites listed per lock
  size_t width = 120;      // the table fits this many terminal columns (COLUMNS)
  bool wide = false;       // --wide: every table column, no width limit

  // Rows a machine format carries: all of them, unless --top was given.
  size_t machine_rows() const { return top_given ? top : static_cast<size_t>(-1); }
};

std::string render_table(const Report& report, const RenderOptions& options);
std::string render_json(const Report& report, const RenderOptions& options);
// One header line, then one row per lock, site or thread (the report's
// grouping) in raw units.
std::string render_csv(const Report& report, const RenderOptions& options);
// "frame;frame;...;[kind lock] weight" lines for flamegraph.pl, speedscope
// or inferno (the locks must have been aggregated with folded stacks).
std::string render_folded(const Report& report, const RenderOptions& options);
// A gzipped pprof profile.proto of the lock waits (and sampled holds) by
// stack, as Go's mutex profile (the locks must have been aggregated with
// AggregateOptions::profile). Binary.
std::string render_pprof(const Report& report, const RenderOptions& options);
// Prometheus text exposition format: counters and a wait histogram per lock,
// wait per waiting call site; the top locks and sites, the rest as "other".
std::string render_prometheus(const Report& report, const RenderOptions& options);
// Chrome trace-event JSON (Perfetto, chrome://tracing): a track per thread,
// waits and sampled holds as slices (the report's events must be aggregated).
std::string render_chrome_trace(const Report& report, const RenderOptions& options);
// One self-contained HTML page: summary, top locks, flame graph of waits,
// time line, data quality (needs folded stacks and the time line).
std::string render_html(const Report& report, const RenderOptions& options);

}  // namespace contend::analyze
