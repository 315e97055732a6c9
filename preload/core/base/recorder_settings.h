// Settings the recording paths read on every event, fixed at session start.
#pragma once

#include "base/clock.h"
#include "base/config.h"
#include "base/text_range.h"

#include <cstdint>
#include <utility>

namespace contend::preload {

struct RecorderSettings {
  uint32_t stack_depth = 16;       // frames kept per stack; 0: the caller only
  uint32_t hold_sample_every = 0;  // time one acquisition in N at least; 0: none
  // The interval doubles while samples come closer than this (a per-thread
  // rate cap, so busy lock loops cost little and write little).
  uint64_t hold_min_gap_ticks = 0;
  // Summed releases are written out at least this often (ticks).
  uint64_t release_flush_ticks = 0;
  // Our own code's text, whose frames stacks leave out (empty: none).
  TextRange own_text;
};

inline constinit RecorderSettings g_settings{};
inline const RecorderSettings& settings() {
  return g_settings;
}

// At session start: the settings for `config` on this machine's clock.
// own_text is the preload library's to set.
void apply_settings(const Config& config, const ClockCalibration& clock);

}  // namespace contend::preload
