// Every lock the process has used, shared by all threads: its generation
// (a destroy or a re-init makes a new lock at the same address), whether its
// birth has been recorded, and the bookkeeping that charges waiting to the
// holders that caused it.
//
// Lock-free for lookup and insertion (a fixed open-addressing table that
// never deletes); the wait accounting of one lock is serialized by a tiny
// per-entry spin flag, taken only when that lock is contended.
#pragma once

#include <atomic>
#include <cstdint>

namespace contend::preload {

struct LockEntry {
  // Read on every acquisition of the lock: its own cache line.
  alignas(64) std::atomic<uint64_t> address{0};
  std::atomic<uint32_t> generation{0};
  std::atomic<uint8_t> born{0};  // the current generation's birth is recorded
  // Written only under contention.
  alignas(64) std::atomic<uint8_t> guard{0};
  // Written under the guard; read without it first, so a release nobody
  // waits for costs one shared read, not a locked instruction.
  std::atomic<uint32_t> waiters{0};
  uint64_t baseline_sum = 0;  // sum over waiters of when their unaccounted wait began
  uint64_t last_release = 0;  // ticks of the last accounted release
};
static_assert(sizeof(LockEntry) == 128);

// Bumped whenever a lock's generation changes (a destroy, a second init) or
// the registry is emptied: a thread's last validated lock table slot is
// trusted only under the epoch it was validated in, so the uncontended path
// reads this one read-mostly word instead of the lock's entry.
inline std::atomic<uint32_t> g_generation_epoch{1};

class LockRegistry {
 public:
  bool init(uint32_t capacity);  // power of two
  void clear();

  // nullptr when the table is full (the lock then has no identity beyond
  // its address, and no blame).
  LockEntry* find_or_insert(const void* lock);
  LockEntry* find(const void* lock) const;

  uint32_t full_misses() const { return full_misses_.load(std::memory_order_relaxed); }

 private:
  template <typename ClaimEmpty>
  LockEntry* probe(const void* lock, ClaimEmpty&& claim_empty) const;
  LockEntry* entries_ = nullptr;
  uint32_t capacity_ = 0;
  std::atomic<uint32_t> full_misses_{0};
};

LockRegistry& lock_registry();

// Serializes the wait accounting of one lock.
class EntryGuard {
 public:
  explicit EntryGuard(LockEntry& e) : e_(e) {
    while (e_.guard.exchange(1, std::memory_order_acquire) != 0) __builtin_ia32_pause();
  }
  ~EntryGuard() { e_.guard.store(0, std::memory_order_release); }
  EntryGuard(const EntryGuard&) = delete;
  EntryGuard& operator=(const EntryGuard&) = delete;

 private:
  LockEntry& e_;
};

}  // namespace contend::preload
