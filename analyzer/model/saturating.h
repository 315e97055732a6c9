// Rounding a computed double into a count or a duration. Figures from a
// damaged trace can be absurd (or NaN): they saturate instead of being
// undefined behaviour (std::llround past LLONG_MAX is).
#pragma once

#include <cstdint>

namespace contend::analyze {

inline uint64_t round_saturating(double v) {
  if (!(v > 0)) return 0;                              // also NaN
  if (v >= 18446744073709549568.0) return UINT64_MAX;  // the largest double below 2^64
  return static_cast<uint64_t>(v + 0.5);
}

}  // namespace contend::analyze
