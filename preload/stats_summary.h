// CONTEND_STATS=1: at exit, the hotspot summary on stderr.
//
// The analysis runs in contend-report, a process of its own started on the
// finished trace: the symbolizer and its libraries (libdw, fmt) never enter
// the profiled program, and the summary shows exactly the numbers
// contend-report shows. contend-report is looked for at $CONTEND_REPORT,
// then beside this library (../bin/ and the same directory), then on PATH.
#pragma once

namespace contend::preload {

void print_stats_summary(const char* trace_path, int fd);

}  // namespace contend::preload
