// What every primitive's recorder does with an acquisition: count it in the
// thread's table, and turn a wait into a WaitRecord. Shared by the mutex,
// rwlock, spinlock, futex and semaphore recorders.
#pragma once

#include "clock.h"
#include "thread_state.h"

#include <contend/trace_format.h>

namespace contend::preload {

// Snapshots the full table into the ring and starts a new incarnation.
void spill_lock_table(ThreadState& t);

inline LockSlot& lock_slot(ThreadState& t, const void* lock, format::WaitKind kind) {
  uint64_t key = LockTable::make_key(lock, kind);
  LockSlot* slot = t.table.find_or_insert(key);
  if (slot == nullptr) [[unlikely]] {
    spill_lock_table(t);
    slot = t.table.find_or_insert(key);
  }
  return *slot;
}

inline void count_acquisition(ThreadState& t, const void* lock, format::WaitKind kind) {
  bump(lock_slot(t, lock, kind).acquisitions);
}

inline void count_trylock_failure(ThreadState& t, const void* lock, format::WaitKind kind) {
  bump(lock_slot(t, lock, kind).trylock_failures);
}

// A contended acquisition: counted, and its wait recorded.
inline void record_contended(ThreadState& t, const void* lock, format::WaitKind kind, uint64_t start,
                             uint64_t end, uint32_t owner_tid) {
  LockSlot& slot = lock_slot(t, lock, kind);
  bump(slot.acquisitions);
  bump(slot.contended);
  format::WaitRecord r{};
  r.header = format::make_header<format::WaitRecord>(format::RecordKind::kWait);
  r.lock = reinterpret_cast<uint64_t>(lock);
  r.start = start;
  r.duration = end - start;
  r.tid = t.tid;
  r.owner_tid = owner_tid;
  r.wait_kind = static_cast<uint8_t>(kind);
  r.lock_generation = slot.generation.load(std::memory_order_relaxed);
  t.push(r, static_cast<uint8_t>(kind));
}

// The LockCounts record for one table slot.
inline format::LockCountsRecord lock_counts_record(uint32_t tid, uint32_t epoch, uint64_t key,
                                                   const LockSlot& s) {
  format::LockCountsRecord r{};
  r.header = format::make_header<format::LockCountsRecord>(format::RecordKind::kLockCounts);
  r.lock = LockTable::key_address(key);
  r.tid = tid;
  r.lock_generation = s.generation.load(std::memory_order_relaxed);
  r.acquisitions = s.acquisitions.load(std::memory_order_relaxed);
  r.contended = s.contended.load(std::memory_order_relaxed);
  r.trylock_failures = s.trylock_failures.load(std::memory_order_relaxed);
  r.table_epoch = epoch;
  r.wait_kind = static_cast<uint8_t>(LockTable::key_kind(key));
  return r;
}

}  // namespace contend::preload
