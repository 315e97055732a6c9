#include "base/recorder_settings.h"

namespace contend::preload {

void apply_settings(const Config& config, const ClockCalibration& clock) {
  g_settings.stack_depth = config.stack_depth;
  g_settings.hold_sample_every = config.hold_sample;
  double ticks_per_second =
      1e9 * static_cast<double>(clock.calib_ticks) / static_cast<double>(clock.calib_ns);
  // The rate cap as a minimum gap between samples, in ticks.
  g_settings.hold_min_gap_ticks = static_cast<uint64_t>(ticks_per_second / config.hold_rate);
  // Summed releases are flushed at the drain period (the default period
  // without a drain).
  uint32_t flush_ms = config.flush_ms != 0 ? config.flush_ms : kDefaultFlushMs;
  g_settings.release_flush_ticks = static_cast<uint64_t>(ticks_per_second * flush_ms / 1000.0);
}

}  // namespace contend::preload
