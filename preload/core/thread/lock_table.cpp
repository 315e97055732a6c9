#include "thread/lock_table.h"

#include "base/zeroed_mapping.h"

#include <sys/mman.h>

namespace contend::preload {

namespace {

size_t bytes_for(uint32_t capacity) {
  return sizeof(LockSlot) * capacity;
}

LockSlot* map_slots(uint32_t capacity) {
  return map_zeroed_array<LockSlot>(capacity);  // zeroed memory is a valid empty table
}

std::atomic<uint32_t> g_table_epochs{1};

}  // namespace

uint32_t LockTable::next_epoch() {
  return g_table_epochs.fetch_add(1, std::memory_order_relaxed);
}

bool LockTable::grow() {
  if (capacity_ >= max_capacity_ || retired_count_ == kMaxRetired) return false;
  uint32_t bigger = capacity_ * 2;
  LockSlot* fresh = map_slots(bigger);
  if (fresh == nullptr) return false;
  LockSlot* old = slots_;
  uint32_t mask = bigger - 1;
  for (uint32_t i = 0; i < capacity_; ++i) {
    const LockSlot& from = old[i];
    uint64_t key = from.key.load(std::memory_order_relaxed);
    if (key == 0) continue;
    uint32_t index = hash(key) & mask;
    while (fresh[index].key.load(std::memory_order_relaxed) != 0) index = (index + 1) & mask;
    LockSlot& to = fresh[index];
    to.counts += from.counts.snapshot();  // `to` is fresh: zero
    to.generation.store(from.generation.load(std::memory_order_relaxed), std::memory_order_relaxed);
    to.entry = from.entry;
    to.last_site = from.last_site;
    to.key.store(key, std::memory_order_relaxed);
  }
  retired_[retired_count_++] = Retired{old, capacity_};
  forget_last();
  slots_ = fresh;
  capacity_ = bigger;
  publish();
  return true;
}

void LockTable::release_grown() {
  if (slots_ == inline_slots_) return;
  munmap(slots_, bytes_for(capacity_));
  uint32_t inline_capacity = capacity_;
  for (uint32_t i = 0; i < retired_count_; ++i) {
    if (retired_[i].slots == inline_slots_) {
      inline_capacity = retired_[i].capacity;
    } else {
      munmap(retired_[i].slots, bytes_for(retired_[i].capacity));
    }
  }
  retired_count_ = 0;
  forget_last();
  slots_ = inline_slots_;
  capacity_ = inline_capacity;
  publish();
}

}  // namespace contend::preload
