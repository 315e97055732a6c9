// Single waits and sampled holds as rows on the common clock, with the
// processes and threads they belong to: what a trace viewer draws (the
// Chrome/Perfetto trace, render/render_chrome_trace.cpp).
#pragma once

#include "aggregate/trace_time.h"
#include "report/timeline.h"
#include "symbolize/lock_wrappers.h"
#include "symbolize/symbolizer.h"

#include <vector>

namespace contend::analyze {

EventRows build_event_rows(const std::vector<TraceTime>& traces, const LockNames& names,
                           Symbolizer& symbolizer, LockWrappers& wrappers);

}  // namespace contend::analyze
