// glibc validates some timed calls' arguments before trying the lock (an
// unsupported clock, a tv_nsec outside [0, 1e9)) and returns EINVAL even when
// the lock is free. Our recorders probe with a trylock first; for such
// arguments they must not, so that the real function gives its own answer.
#pragma once

#include <time.h>

namespace contend::preload {

inline bool abstime_args_valid(clockid_t clock, const timespec* abstime) {
  return (clock == CLOCK_MONOTONIC || clock == CLOCK_REALTIME) && abstime != nullptr &&
         abstime->tv_nsec >= 0 && abstime->tv_nsec < 1000000000L;
}

}  // namespace contend::preload
