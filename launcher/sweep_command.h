// contend sweep: runs a program under the profiler at each thread count
// (--repeat times), keeps every run's traces and output, and prints the
// scaling table; writes sweep.json and sweep.svg next to the traces.
#pragma once

#include "sweep_options.h"

namespace contend::launch {

// Returns the exit status: 0, the program's own when a run fails (the sweep
// stops there), or the launcher's 125..127.
int run_sweep(const SweepOptions& options, const char* argv0);

}  // namespace contend::launch
