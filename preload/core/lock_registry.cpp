#include "lock_registry.h"

#include "zeroed_mapping.h"

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
}

LockEntry* LockRegistry::find_or_insert(const void* lock) {
  if (entries_ == nullptr) return nullptr;
  uint64_t key = reinterpret_cast<uint64_t>(lock);
  uint32_t mask = capacity_ - 1;
  uint32_t index = hash(lock);
  for (uint32_t probe = 0; probe < kMaxProbes; ++probe) {
    LockEntry& e = entries_[(index + probe) & mask];
    uint64_t a = e.address.load(std::memory_order_acquire);
    if (a == key) return &e;
    if (a == 0) {
      if (e.address.compare_exchange_strong(a, key, std::memory_order_acq_rel)) return &e;
      if (a == key) return &e;
    }
  }
  full_misses_.fetch_add(1, std::memory_order_relaxed);
  return nullptr;
}

LockEntry* LockRegistry::find(const void* lock) const {
  if (entries_ == nullptr) return nullptr;
  uint64_t key = reinterpret_cast<uint64_t>(lock);
  uint32_t mask = capacity_ - 1;
  uint32_t index = hash(lock);
  for (uint32_t probe = 0; probe < kMaxProbes; ++probe) {
    LockEntry& e = entries_[(index + probe) & mask];
    uint64_t a = e.address.load(std::memory_order_acquire);
    if (a == key) return &e;
    if (a == 0) return nullptr;
  }
  return nullptr;
}

LockRegistry& lock_registry() {
  static LockRegistry registry;
  return registry;
}

}  // namespace contend::preload
