// Per-thread acquisition counters (lock_counters.h), one slot per (lock,
// wait kind).
//
// Only the owning thread writes a table while it runs. The table is open
// addressing with
// linear probing and never deletes. When it fills up it doubles (a new
// mapping, rehashed; the old arrays are kept until the thread's slot is
// recycled, because the exit path may still be reading them), up to a
// maximum; a full table at the maximum is snapshotted into the ring and
// restarted as a fresh incarnation (a new epoch: every incarnation of every
// table in the process has its own, so the reader never mixes two). A lock whose probe window
// is full of other locks' keys while the table is not (addresses that
// collide), once the table cannot grow, is counted in an untracked slot of
// its wait kind: every lock operation goes on, and the report says how many
// acquisitions were not tracked by lock.
#pragma once

#include "thread/lock_counters.h"

#include <contend/trace_format.h>

#include <atomic>
#include <cstdint>

namespace contend::preload {

struct LockEntry;

struct LockSlot {
  std::atomic<uint64_t> key{0};  // make_key(); 0 = empty
  LockCounters counts;
  // The lock's shared entry (nullptr until this thread first sees the lock,
  // kNoEntry when the shared registry is full), and the generation counted.
  LockEntry* entry = nullptr;
  // Return address of this thread's last acquisition: the holder's call
  // site when others wait behind it.
  uintptr_t last_site = 0;
  std::atomic<uint32_t> generation{0};
  uint32_t reserved = 0;
};
static_assert(sizeof(LockSlot) == 72);
inline LockEntry* const kNoEntry = reinterpret_cast<LockEntry*>(uintptr_t{1});

class LockTable {
 public:
  static constexpr uint32_t kMaxProbes = 16;

  // Lock addresses fit in 56 bits on x86-64, leaving a byte for the kind so
  // the read and write sides of an rwlock count apart.
  static uint64_t make_key(const void* lock, format::WaitKind kind) {
    return (reinterpret_cast<uint64_t>(lock) << 8) | static_cast<uint64_t>(kind);
  }
  static uint64_t key_address(uint64_t key) { return key >> 8; }
  static format::WaitKind key_kind(uint64_t key) { return static_cast<format::WaitKind>(key & 0xff); }

  static constexpr uint32_t kMaxRetired = 16;

  // `slots` must hold `capacity` (a power of two) value-initialized slots;
  // they belong to the caller. Growth stops at `max_capacity`. The table
  // starts as a new incarnation.
  void init(LockSlot* slots, uint32_t capacity, uint32_t max_capacity) {
    forget_last();
    slots_ = slots;
    capacity_ = capacity;
    publish();
    max_capacity_ = max_capacity < capacity ? capacity : max_capacity;
    __atomic_store_n(&epoch_, next_epoch(), __ATOMIC_RELEASE);
    used_ = 0;
    inline_slots_ = slots;
    retired_count_ = 0;
    clear_untracked();
  }

  // Load factor reached: the table must grow, or be snapshotted and reset.
  bool full() const { return used_ * 4 >= capacity_ * 3; }

  // Owner only: the slot that counts what no table slot could take, for
  // locks of `kind`. It has no lock entry (no identity, no blame).
  LockSlot& untracked(format::WaitKind kind) {
    return untracked_[static_cast<uint8_t>(kind) & kUntrackedMask];
  }

  // Owner only: most acquisitions repeat the previous lock (lock, unlock,
  // lock...). The slot last validated (adopted, its generation checked)
  // while the process's generation epoch was `epoch`, if it is `key`'s.
  LockSlot* validated(uint64_t key, uint32_t epoch) const {
    return key == last_key_ && epoch == last_epoch_ ? last_slot_ : nullptr;
  }
  void remember_validated(uint64_t key, LockSlot* slot, uint32_t epoch) {
    last_key_ = key;
    last_slot_ = slot;
    last_epoch_ = epoch;
  }

  // Owner only. Returns nullptr when the table is too full; the caller then
  // grows it, or snapshots it and calls restart().
  LockSlot* find_or_insert(uint64_t key) { return probe_or_insert(key); }

  LockSlot* probe_or_insert(uint64_t key) {
    LockSlot* slots = slots_;
    uint32_t mask = capacity_ - 1;
    uint32_t index = hash(key) & mask;
    for (uint32_t probe = 0; probe < kMaxProbes; ++probe) {
      LockSlot& slot = slots[(index + probe) & mask];
      uint64_t k = slot.key.load(std::memory_order_relaxed);
      if (k == key) return &slot;
      if (k == 0) {
        if (full()) return nullptr;
        ++used_;
        slot.key.store(key, std::memory_order_release);
        return &slot;
      }
    }
    return nullptr;
  }

  // Owner only: the slot of `key`, or nullptr.
  const LockSlot* find(uint64_t key) const {
    uint32_t mask = capacity_ - 1;
    uint32_t index = hash(key) & mask;
    for (uint32_t probe = 0; probe < kMaxProbes; ++probe) {
      const LockSlot& slot = slots_[(index + probe) & mask];
      uint64_t k = slot.key.load(std::memory_order_relaxed);
      if (k == key) return &slot;
      if (k == 0) return nullptr;
    }
    return nullptr;
  }

  // Owner only: doubles the table (unless at its maximum). False when it
  // could not grow; the caller spills instead.
  bool grow();

  // Unmaps every array this table allocated and returns to the caller's
  // inline slots. Only when no other thread can be reading (slot recycle).
  void release_grown();

  // Owner only: empties the table for a new incarnation.
  void restart() {
    forget_last();
    LockSlot* slots = slots_;
    for (uint32_t i = 0; i < capacity_; ++i) {
      LockSlot& s = slots[i];
      if (s.key.load(std::memory_order_relaxed) == 0) continue;
      s.counts.clear();
      s.entry = nullptr;
      s.last_site = 0;
      s.generation.store(0, std::memory_order_relaxed);
      s.key.store(0, std::memory_order_release);
    }
    used_ = 0;
    __atomic_store_n(&epoch_, next_epoch(), __ATOMIC_RELEASE);
    clear_untracked();
  }

  // Any thread: the owner's current array and its size come from one
  // atomic word, so a reader never pairs an array with another's size.
  // Untracked slots that counted anything come last, keyed by address 0.
  template <typename Fn>
  void for_each_used(Fn&& fn) const {
    uintptr_t published = published_.load(std::memory_order_acquire);
    const auto* slots = reinterpret_cast<const LockSlot*>(published & ~kOrderMask);
    uint32_t capacity = 1u << (published & kOrderMask);
    for (uint32_t i = 0; i < capacity; ++i) {
      const LockSlot& s = slots[i];
      uint64_t key = s.key.load(std::memory_order_acquire);
      if (key != 0) fn(key, s);
    }
    for (uint32_t kind = 1; kind < format::kWaitKindCount; ++kind) {
      const LockSlot& s = untracked_[kind];
      if (s.counts.snapshot().any()) fn(make_key(nullptr, static_cast<format::WaitKind>(kind)), s);
    }
  }

  uint32_t epoch() const { return epoch_; }
  // Another thread's view (the drain's): the epoch as last published.
  uint32_t published_epoch() const { return __atomic_load_n(&epoch_, __ATOMIC_ACQUIRE); }
  uint32_t capacity() const { return capacity_; }
  uint32_t used() const { return used_; }

  // Where a key's probe starts in a table of `capacity` slots (public for
  // tests that make keys collide).
  static uint32_t home_index(uint64_t key, uint32_t capacity) { return hash(key) & (capacity - 1); }

 private:
  // Epochs are unique in the process (they start at 1).
  static uint32_t next_epoch();

  static uint32_t hash(uint64_t key) {
    // Fibonacci hashing; lock addresses share low zero bits and page offsets.
    return static_cast<uint32_t>((key * 0x9E3779B97F4A7C15ull) >> 32);
  }

  void forget_last() {
    last_key_ = 0;
    last_slot_ = nullptr;
  }

  void clear_untracked() {
    for (LockSlot& s : untracked_) {
      s.counts.clear();
      s.entry = kNoEntry;  // never adopted: no registry entry, no generation
    }
  }

  static constexpr uint32_t kUntrackedMask = 7;
  static_assert(format::kWaitKindCount <= kUntrackedMask + 1);

  // Arrays are page-aligned, so the low bits carry log2(capacity).
  static constexpr uintptr_t kOrderMask = 0xfff;
  void publish() {
    published_.store(reinterpret_cast<uintptr_t>(slots_) | static_cast<uintptr_t>(__builtin_ctz(capacity_)),
                     std::memory_order_release);
  }

  uint64_t last_key_ = 0;  // the slot last validated (0: none)
  LockSlot* last_slot_ = nullptr;
  uint32_t last_epoch_ = 0;
  LockSlot* slots_ = nullptr;  // owner's view
  uint32_t capacity_ = 0;
  std::atomic<uintptr_t> published_{0};  // readers' view: slots_ | log2(capacity_)
  uint32_t max_capacity_ = 0;
  uint32_t used_ = 0;
  uint32_t epoch_ = 0;
  LockSlot* inline_slots_ = nullptr;  // the caller's; never unmapped here
  struct Retired {
    LockSlot* slots;
    uint32_t capacity;
  };
  Retired retired_[kMaxRetired] = {};
  uint32_t retired_count_ = 0;
  LockSlot untracked_[kUntrackedMask + 1];  // by wait kind
};

}  // namespace contend::preload
