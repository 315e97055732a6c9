// Measures what recording costs on this machine (core/record/self_cost.h), once,
// from the library's constructor: the interposed lock and unlock against
// glibc's own, a recorded wait, a stack capture at the configured depth and
// a timed hold, each the fastest of a few short rounds (about 0.3 ms in
// all). The work is done on a scratch thread state that no drain reads, so
// nothing of it reaches the trace but the result.
#pragma once

namespace contend::preload {

void measure_self_cost();

}  // namespace contend::preload
