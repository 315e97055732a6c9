// CONTEND_STATS=1: at exit, the hotspot summary on stderr, computed by the
// analyzer's own reader and aggregator from the trace just written, so it
// shows exactly the numbers contend-report will show.
#pragma once

namespace contend::preload {

void print_stats_summary(const char* trace_path, int fd);

}  // namespace contend::preload
