// What every primitive's recorder does with an acquisition: count it in the
// thread's table, and turn a wait into a WaitRecord. Shared by the mutex,
// rwlock, spinlock, condition, futex and semaphore recorders.
#pragma once

#include "clock.h"
#include "thread_state.h"

#include <contend/trace_format.h>

#include <cerrno>

namespace contend::preload {

// The table is full: grows it, or, at its maximum size, snapshots it into
// the ring and starts a new incarnation.
void make_room_in_lock_table(ThreadState& t);

inline LockSlot& lock_slot(ThreadState& t, const void* lock, format::WaitKind kind) {
  uint64_t key = LockTable::make_key(lock, kind);
  LockSlot* slot = t.table.find_or_insert(key);
  if (slot == nullptr) [[unlikely]] {
    make_room_in_lock_table(t);
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

// The outcome of a trylock: an acquisition, a busy lock, or an error that
// counts as neither.
inline void count_try(ThreadState& t, const void* lock, format::WaitKind kind, bool acquired, bool busy) {
  if (acquired) {
    count_acquisition(t, lock, kind);
  } else if (busy) {
    count_trylock_failure(t, lock, kind);
  }
}

inline void count_wake(ThreadState& t, const void* lock, format::WaitKind kind) {
  bump(lock_slot(t, lock, kind).wakes);
}

// One wait, as measured around the blocking call.
struct Wait {
  const void* lock;
  format::WaitKind kind;
  uint64_t start;
  uint64_t end;
  uint32_t owner_tid = 0;
  const void* related = nullptr;  // the mutex of a condition wait
  uint8_t flags = 0;              // format::kWait*
};

// Records the wait and counts it: an acquisition that had to wait, or,
// when flagged, a timed acquisition that gave up or an interrupted one.
inline void record_wait(ThreadState& t, const Wait& w) {
  LockSlot& slot = lock_slot(t, w.lock, w.kind);
  if ((w.flags & format::kWaitTimedOut) != 0) {
    bump(slot.timeouts);
  } else if ((w.flags & format::kWaitInterrupted) == 0) {
    bump(slot.acquisitions);
    bump(slot.contended);
  }
  format::WaitRecord r{};
  r.header = format::make_header<format::WaitRecord>(format::RecordKind::kWait);
  r.lock = reinterpret_cast<uint64_t>(w.lock);
  r.start = w.start;
  r.duration = w.end - w.start;
  r.related = reinterpret_cast<uint64_t>(w.related);
  r.tid = t.tid;
  r.owner_tid = w.owner_tid;
  r.lock_generation = slot.generation.load(std::memory_order_relaxed);
  r.wait_kind = static_cast<uint8_t>(w.kind);
  r.flags = w.flags;
  t.push(r, static_cast<uint8_t>(w.kind));
}

// A contended acquisition (the common case of record_wait).
inline void record_contended(ThreadState& t, const void* lock, format::WaitKind kind, uint64_t start,
                             uint64_t end, uint32_t owner_tid) {
  record_wait(t, Wait{lock, kind, start, end, owner_tid});
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
  r.wakes = s.wakes.load(std::memory_order_relaxed);
  r.timeouts = s.timeouts.load(std::memory_order_relaxed);
  r.table_epoch = epoch;
  r.wait_kind = static_cast<uint8_t>(LockTable::key_kind(key));
  return r;
}

// errno as the real function left it must be what the caller sees: probing
// calls (trylock before lock) and our bookkeeping must not change it.
class ErrnoGuard {
 public:
  ErrnoGuard() : saved_(errno) {}
  void restore() const { errno = saved_; }

 private:
  int saved_;
};

}  // namespace contend::preload
