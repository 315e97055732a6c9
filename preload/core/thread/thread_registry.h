// Fixed set of thread slots shared by application threads (which claim and
// leave them) and the drain (which empties and recycles them).
//
// A slot moves kFree -> kClaimed (an attaching thread won the CAS) ->
// kActive -> kExited (its thread ended; only the drain touches it now) ->
// kFree. Slot memory is mapped on first use and kept for the next thread, so
// memory is bounded by the peak number of live threads, never by churn.
#pragma once

#include "thread/thread_state.h"

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace contend::preload {

enum class SlotState : uint32_t { kFree = 0, kClaimed = 1, kActive = 2, kExited = 3 };

// Built from the Config (config.h holds the defaults).
struct RegistryLimits {
  uint32_t max_threads = 0;
  uint32_t ring_bytes = 0;      // power of two
  uint32_t lock_slots = 0;      // power of two, per thread at start
  uint32_t lock_slots_max = 0;  // power of two, what a table may grow to
  bool operator==(const RegistryLimits&) const = default;
};

class ThreadRegistry {
 public:
  // Maps the slot directory. Returns false when memory is not available.
  bool init(const RegistryLimits& limits);
  // Unmaps everything; only for tests (the library keeps its registry).
  void destroy();

  // Claims a free slot for the calling thread and prepares its state.
  // nullptr when every slot is taken or mapping memory fails.
  ThreadState* claim(uint32_t tid, uint64_t now_ticks);

  // The owning thread is done; the drain finishes the slot.
  void mark_exited(ThreadState* state);
  // The drain has written everything out; the slot may be reused.
  void recycle(ThreadState* state);

  // The drain's view: every slot that holds a thread, with its state.
  template <typename Fn>
  void for_each_live(Fn&& fn) {
    uint32_t high = high_water_.load(std::memory_order_acquire);
    for (uint32_t i = 0; i < high; ++i) {
      auto state = static_cast<SlotState>(slots_[i].state.load(std::memory_order_acquire));
      if (state == SlotState::kActive || state == SlotState::kExited)
        fn(*slots_[i].memory.load(std::memory_order_acquire), state);
    }
  }

  // Whether any slot holds a thread that has not ended (or is attaching).
  bool any_running() const {
    uint32_t high = high_water_.load(std::memory_order_acquire);
    for (uint32_t i = 0; i < high; ++i) {
      auto state = static_cast<SlotState>(slots_[i].state.load(std::memory_order_acquire));
      if (state == SlotState::kClaimed || state == SlotState::kActive) return true;
    }
    return false;
  }

  // A new session starts counting afresh.
  void reset_counters() {
    threads_seen_.store(0, std::memory_order_relaxed);
    threads_refused_.store(0, std::memory_order_relaxed);
  }

  // After fork only the forking thread exists: every other slot is freed
  // without writing anything (the parent writes its own threads' data).
  void reset_after_fork(ThreadState* survivor);

  uint32_t threads_seen() const { return threads_seen_.load(std::memory_order_relaxed); }
  uint32_t threads_refused() const { return threads_refused_.load(std::memory_order_relaxed); }
  const RegistryLimits& limits() const { return limits_; }

 private:
  struct Slot {
    std::atomic<uint32_t> state{0};
    std::atomic<ThreadState*> memory{nullptr};
  };

  ThreadState* map_region();
  void prepare(ThreadState* state, uint32_t index, uint32_t tid, uint64_t now_ticks);

  RegistryLimits limits_;
  Slot* slots_ = nullptr;
  size_t directory_bytes_ = 0;
  size_t region_bytes_ = 0;
  std::atomic<uint32_t> high_water_{0};
  std::atomic<uint32_t> threads_seen_{0};
  std::atomic<uint32_t> threads_refused_{0};
};

}  // namespace contend::preload
