#include "record/lock_registry.h"

#include "base/zeroed_mapping.h"

namespace contend::preload {

namespace {

constexpr uint32_t kMaxProbes = 64;

uint32_t hash(const void* lock) {
  return static_cast<uint32_t>((reinterpret_cast<uint64_t>(lock) * 0x9E3779B97F4A7C15ull) >> 32);
}

}  // namespace

bool LockRegistry::init(uint32_t capacity) {
  entries_ = map_zeroed_array<LockEntry>(capacity);
  if (entries_ == nullptr) return false;
  capacity_ = capacity;
  return true;
}

void LockRegistry::clear() {
  if (entries_ == nullptr) return;
  for (uint32_t i = 0; i < capacity_; ++i) {
    LockEntry& e = entries_[i];
    if (e.address.load(std::memory_order_relaxed) == 0) continue;
    e.generation.store(0, std::memory_order_relaxed);
    e.born.store(0, std::memory_order_relaxed);
    e.guard.store(0, std::memory_order_relaxed);
    e.waiters.store(0, std::memory_order_relaxed);
    e.baseline_sum = 0;
    e.last_release = 0;
    e.address.store(0, std::memory_order_relaxed);
  }
  full_misses_.store(0, std::memory_order_relaxed);
  g_generation_epoch.fetch_add(1, std::memory_order_release);
}

// Linear probing from the lock's hash: the entry holding it, or, at the
// first empty entry, whatever claim_empty returns (nullptr ends the search
// there; the entry claims it). Bounded to kMaxProbes entries.
template <typename ClaimEmpty>
LockEntry* LockRegistry::probe(const void* lock, ClaimEmpty&& claim_empty) const {
  if (entries_ == nullptr) return nullptr;
  uint64_t key = reinterpret_cast<uint64_t>(lock);
  uint32_t mask = capacity_ - 1;
  uint32_t index = hash(lock);
  for (uint32_t i = 0; i < kMaxProbes; ++i) {
    LockEntry& e = entries_[(index + i) & mask];
    uint64_t a = e.address.load(std::memory_order_acquire);
    if (a == key) return &e;
    if (a == 0) {
      // Lost a race for this entry: to the same lock (found), or go on.
      if (claim_empty(e, a, key)) return &e;
      if (a == 0) return nullptr;
    }
  }
  return nullptr;
}

LockEntry* LockRegistry::find_or_insert(const void* lock) {
  LockEntry* e = probe(lock, [](LockEntry& entry, uint64_t& seen, uint64_t key) {
    return entry.address.compare_exchange_strong(seen, key, std::memory_order_acq_rel) || seen == key;
  });
  if (e == nullptr && entries_ != nullptr) full_misses_.fetch_add(1, std::memory_order_relaxed);
  return e;
}

LockEntry* LockRegistry::find(const void* lock) const {
  return probe(lock, [](LockEntry&, uint64_t&, uint64_t) { return false; });
}

LockRegistry& lock_registry() {
  static LockRegistry registry;
  return registry;
}

}  // namespace contend::preload
