// What a producer does when its ring is a quarter full: call the response
// the drain installed when it was bound to the rings (start the drain if it
// was waiting for a reason to, or wake it before its period ends: a burst
// of contention fills a ring in milliseconds, and the drain may need as
// long to get a CPU). Before any drain is bound, nothing.
//
// A pointer installed from above, so that the rings never depend on the
// drain that empties them.
#pragma once

#include <atomic>

namespace contend::preload {

using RingPressureResponse = void (*)();
inline constinit std::atomic<RingPressureResponse> g_ring_pressure_response{nullptr};

inline void respond_to_ring_pressure() {
  RingPressureResponse respond = g_ring_pressure_response.load(std::memory_order_acquire);
  if (respond != nullptr) respond();
}

}  // namespace contend::preload
