#include "output/count_snapshots.h"

#include "base/zeroed_mapping.h"
#include "record/acquisition.h"

#include <sys/mman.h>
#include <atomic>
#include <cstring>

namespace contend::preload {

namespace {

constexpr uint32_t kInitialCapacity = 256;

uint32_t slot_of(uint64_t key, uint32_t capacity) {
  return static_cast<uint32_t>((key * 0x9E3779B97F4A7C15ull) >> 32) & (capacity - 1);
}

}  // namespace

CountSnapshots::~CountSnapshots() {
  unmap_all();
}

void CountSnapshots::unmap_all() {
  if (shadows_ == nullptr) return;
  for (uint32_t i = 0; i < max_threads_; ++i) release(shadows_[i]);
  munmap(shadows_, sizeof(Shadow) * max_threads_);
  shadows_ = nullptr;
  max_threads_ = 0;
}

bool CountSnapshots::init(uint32_t max_threads) {
  if (shadows_ != nullptr && max_threads == max_threads_) return true;
  unmap_all();
  shadows_ = map_zeroed_array<Shadow>(max_threads);
  max_threads_ = shadows_ != nullptr ? max_threads : 0;
  return shadows_ != nullptr;
}

void CountSnapshots::release(Shadow& s) {
  if (s.entries != nullptr) munmap(s.entries, sizeof(Entry) * s.capacity);
  s = Shadow{};
}

void CountSnapshots::forget(uint32_t slot_index) {
  // The mapping is kept for the slot's next thread; its epoch differs.
  if (slot_index < max_threads_) shadows_[slot_index].epoch = 0;
}

bool CountSnapshots::grow(Shadow& s) {
  uint32_t capacity = s.capacity == 0 ? kInitialCapacity : s.capacity * 2;
  auto* entries = map_zeroed_array<Entry>(capacity);
  if (entries == nullptr) return false;
  for (uint32_t i = 0; i < s.capacity; ++i) {
    const Entry& e = s.entries[i];
    if (e.key == 0) continue;
    uint32_t j = slot_of(e.key, capacity);
    while (entries[j].key != 0) j = (j + 1) & (capacity - 1);
    entries[j] = e;
  }
  // The new array in place before the old one goes: a fork at any point
  // leaves the child an array at least `capacity` long.
  Entry* old = s.entries;
  uint32_t old_capacity = s.capacity;
  s.entries = entries;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  s.capacity = capacity;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  if (old != nullptr) munmap(old, sizeof(Entry) * old_capacity);
  return true;
}

bool CountSnapshots::changed(Shadow& s, uint64_t key, uint64_t sum, uint32_t generation) {
  if ((s.used + 1) * 2 > s.capacity && !grow(s)) return false;
  uint32_t i = slot_of(key, s.capacity);
  while (s.entries[i].key != 0 && s.entries[i].key != key) i = (i + 1) & (s.capacity - 1);
  Entry& e = s.entries[i];
  if (e.key == key && e.sum == sum && e.generation == generation) return false;
  if (e.key == 0) ++s.used;
  e = Entry{key, sum, generation, 0};
  return true;
}

void CountSnapshots::collect_changed(const ThreadState& t, std::vector<format::LockCountsRecord>& out) {
  if (t.slot_index >= max_threads_) return;
  Shadow& s = shadows_[t.slot_index];
  size_t first = out.size();
  uint32_t epoch = t.table.published_epoch();
  if (s.epoch != epoch) {
    // A new incarnation: everything in it is unwritten.
    if (s.entries != nullptr) std::memset(s.entries, 0, sizeof(Entry) * s.capacity);
    s.used = 0;
    s.epoch = epoch;
  }
  t.table.for_each_used([&](uint64_t key, const LockSlot& slot) {
    format::LockCountsRecord r = lock_counts_record(t.tid, epoch, key, slot);
    if (changed(s, key, LockCountValues::of(r).sum(), r.lock_generation)) out.push_back(r);
  });
  if (t.table.published_epoch() != epoch) {
    // The owner restarted its table while we read it: these records may
    // mix two incarnations under one epoch. It pushed the old one's counts
    // itself; drop ours and start afresh next time.
    out.resize(first);
    s.epoch = 0;
  }
}

}  // namespace contend::preload
