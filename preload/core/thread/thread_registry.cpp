#include "thread/thread_registry.h"

#include "base/recorder_settings.h"
#include "base/zeroed_mapping.h"
#include "record/stack_memo.h"

#include <sys/mman.h>
#include <new>

namespace contend::preload {

namespace {

constexpr size_t kPage = 4096;

size_t round_to_page(size_t n) {
  return (n + kPage - 1) & ~(kPage - 1);
}

// Layout of one region: ThreadState, the stack memo and the ring buffer
// (each page-aligned: the memo's pages are touched only by a thread that
// waits), then the lock slots.
size_t memo_offset() {
  return round_to_page(sizeof(ThreadState));
}
size_t ring_offset() {
  return memo_offset() + round_to_page(sizeof(StackMemo));
}
size_t table_offset(const RegistryLimits& l) {
  return ring_offset() + l.ring_bytes;
}

}  // namespace

bool ThreadRegistry::init(const RegistryLimits& limits) {
  limits_ = limits;
  directory_bytes_ = round_to_page(sizeof(Slot) * limits.max_threads);
  slots_ = map_zeroed_array<Slot>(directory_bytes_ / sizeof(Slot));
  if (slots_ == nullptr) return false;
  region_bytes_ = round_to_page(table_offset(limits) + sizeof(LockSlot) * limits.lock_slots);
  high_water_.store(0, std::memory_order_relaxed);
  reset_counters();
  return true;
}

void ThreadRegistry::destroy() {
  if (slots_ == nullptr) return;
  for (uint32_t i = 0; i < limits_.max_threads; ++i) {
    ThreadState* s = slots_[i].memory.load(std::memory_order_relaxed);
    if (s != nullptr) munmap(s, region_bytes_);
  }
  munmap(slots_, directory_bytes_);
  slots_ = nullptr;
}

ThreadState* ThreadRegistry::map_region() {
  return static_cast<ThreadState*>(map_zeroed(region_bytes_));
}

void ThreadRegistry::prepare(ThreadState* state, uint32_t index, uint32_t tid, uint64_t now_ticks) {
  auto* base = reinterpret_cast<std::byte*>(state);
  // Reused regions are re-constructed in place; the ring and table memory
  // behind the state is reset by init()/reset() below.
  state->~ThreadState();
  new (state) ThreadState();
  state->tid = tid;
  state->slot_index = index;
  state->handle = pthread_self();
  state->start_ticks = now_ticks;
  state->hold_interval = settings().hold_sample_every == 0 ? 1 : settings().hold_sample_every;
  state->hold_countdown = state->hold_interval;
  // A reused memo keeps the previous thread's entries: they name their
  // owner, and are not this thread's.
  state->stack_memo = reinterpret_cast<StackMemo*>(base + memo_offset());
  state->ring.init(base + ring_offset(), limits_.ring_bytes);
  auto* lock_slots = reinterpret_cast<LockSlot*>(base + table_offset(limits_));
  state->table.init(lock_slots, limits_.lock_slots, limits_.lock_slots_max);
}

ThreadState* ThreadRegistry::claim(uint32_t tid, uint64_t now_ticks) {
  // Lowest free slot first: recycled memory is reused before new memory is
  // mapped, and the drain's scan stays short.
  uint32_t n = limits_.max_threads;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t expected = static_cast<uint32_t>(SlotState::kFree);
    if (slots_[i].state.load(std::memory_order_relaxed) != expected) continue;
    if (!slots_[i].state.compare_exchange_strong(expected, static_cast<uint32_t>(SlotState::kClaimed),
                                                 std::memory_order_acq_rel))
      continue;
    ThreadState* state = slots_[i].memory.load(std::memory_order_acquire);
    bool fresh = state == nullptr;
    if (fresh) state = map_region();
    if (state == nullptr) {
      slots_[i].state.store(static_cast<uint32_t>(SlotState::kFree), std::memory_order_release);
      break;
    }
    if (!fresh) {
      // A recycled table still holds the previous thread's keys.
      state->table.restart();
    }
    prepare(state, i, tid, now_ticks);
    slots_[i].memory.store(state, std::memory_order_release);
    uint32_t high = high_water_.load(std::memory_order_relaxed);
    while (high < i + 1 && !high_water_.compare_exchange_weak(high, i + 1, std::memory_order_acq_rel)) {
    }
    threads_seen_.fetch_add(1, std::memory_order_relaxed);
    slots_[i].state.store(static_cast<uint32_t>(SlotState::kActive), std::memory_order_release);
    return state;
  }
  threads_refused_.fetch_add(1, std::memory_order_relaxed);
  return nullptr;
}

void ThreadRegistry::mark_exited(ThreadState* state) {
  slots_[state->slot_index].state.store(static_cast<uint32_t>(SlotState::kExited), std::memory_order_release);
}

void ThreadRegistry::recycle(ThreadState* state) {
  state->table.release_grown();
  slots_[state->slot_index].state.store(static_cast<uint32_t>(SlotState::kFree), std::memory_order_release);
}

void ThreadRegistry::reset_after_fork(ThreadState* survivor) {
  uint32_t high = high_water_.load(std::memory_order_relaxed);
  for (uint32_t i = 0; i < high; ++i) {
    ThreadState* s = slots_[i].memory.load(std::memory_order_relaxed);
    if (s != nullptr && s == survivor) continue;
    if (s != nullptr) s->table.release_grown();
    slots_[i].state.store(static_cast<uint32_t>(SlotState::kFree), std::memory_order_relaxed);
  }
  threads_seen_.store(survivor != nullptr ? 1 : 0, std::memory_order_relaxed);
  threads_refused_.store(0, std::memory_order_relaxed);
}

}  // namespace contend::preload
