// The event clock. Reading it is the most frequent thing the recorder does
// after counting, so it is an inline branch between rdtsc (when the kernel
// itself trusts an invariant TSC) and CLOCK_MONOTONIC.
#pragma once

#include <contend/trace_format.h>

#include <x86intrin.h>
#include <cstdint>
#include <ctime>

namespace contend::preload {

struct ClockCalibration {
  format::ClockSource source = format::ClockSource::kMonotonic;
  uint64_t calib_ticks = 1;  // ns = ticks * calib_ns / calib_ticks
  uint64_t calib_ns = 1;
};

namespace clock_detail {
// Set once by Clock::init before any thread records; read on every event.
inline bool g_use_tsc = false;
}  // namespace clock_detail

inline uint64_t monotonic_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

inline uint64_t realtime_ns() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

inline uint64_t now_ticks() {
  return clock_detail::g_use_tsc ? __rdtsc() : monotonic_ns();
}

// Chooses the source and measures a first calibration. `requested` is the
// CONTEND_CLOCK setting: "auto", "tsc" or "monotonic".
ClockCalibration init_clock(const char* requested);

// True when the CPU reports an invariant TSC and the kernel uses it as its
// clocksource (on VMs the kernel knows better than CPUID whether it is safe).
bool tsc_is_trustworthy();

}  // namespace contend::preload
