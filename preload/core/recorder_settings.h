// Settings the recording paths read on every event, fixed at session start.
#pragma once

#include <cstdint>
#include <utility>

namespace contend::preload {

struct RecorderSettings {
  uint32_t stack_depth = 16;       // frames kept per stack; 0: the caller only
  uint32_t hold_sample_every = 0;  // time one acquisition in N; 0: none
  // Our own code's text, whose frames stacks leave out ([0, 0): none).
  uintptr_t own_text_begin = 0;
  uintptr_t own_text_end = 0;
};

inline constinit RecorderSettings g_settings{};
inline const RecorderSettings& settings() { return g_settings; }

}  // namespace contend::preload
