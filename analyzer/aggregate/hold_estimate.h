// A lock's hold time over the whole run, from sampled holds, estimated so
// that it cannot exceed what is possible:
//
//   - per holding thread, the mean of its samples (each weighed by its
//     sampling interval) times the holds they stand for (the sum of the
//     intervals), but never more holds than the thread's acquisitions of
//     the lock: the interval counts a thread's acquisitions of every lock,
//     and a thread that took this lock once in 16 and was always sampled on
//     it made each of its holds count 16 times;
//   - at most the wall time for a mutex, spinlock or write side (one holder
//     at a time), at most wall time x readers for a read side: a few
//     sampled holds of preempted holders, weighed by the interval, made a
//     mutex "held" for longer than the program ran.
// Long holds (at least 1 ms and 10 times the 90th percentile: rare, a holder preempted,
// or sleeping with the lock) are counted, for the report to show them.
#pragma once

#include "model/decoded_trace.h"
#include "report/report.h"

#include <contend/trace_format.h>

namespace contend::analyze {

struct HoldEstimate {
  uint64_t total_ticks = 0;           // over every acquisition
  uint64_t holds = 0;                 // acquisitions the estimate covers
  uint64_t long_holds = 0;            // samples at least long_threshold_ticks
  uint64_t long_threshold_ticks = 0;  // what "long" meant for this lock
  bool bounded = false;               // the estimate was cut to what is possible
  // total_ticks / the samples' weighted sum: scales the hold sites alike.
  double scale = 1.0;
};

// `readers`: threads that acquired its read side.
HoldEstimate estimate_holds(const LockData& lock, format::WaitKind kind, uint64_t wall_ticks,
                            uint32_t readers, uint64_t one_ms_ticks);

}  // namespace contend::analyze
