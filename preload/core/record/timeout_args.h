// glibc validates some timed calls' arguments before trying the lock (an
// unsupported clock, a tv_nsec outside [0, 1e9)) and returns EINVAL even when
// the lock is free. Our recorders probe with a trylock first; for such
// arguments they must not, so that the real function gives its own answer.
#pragma once

#include <time.h>

namespace contend::preload {

inline bool clock_supported(clockid_t clock) {
  return clock == CLOCK_MONOTONIC || clock == CLOCK_REALTIME;
}

// Reads *abstime: only for the calls whose real function reads it before
// anything else too (rwlocks, semaphores), so that a bad pointer faults
// exactly where glibc's own check would.
inline bool abstime_args_valid(clockid_t clock, const timespec* abstime) {
  return clock_supported(clock) && abstime != nullptr && abstime->tv_nsec >= 0 &&
         abstime->tv_nsec < 1000000000L;
}

}  // namespace contend::preload
