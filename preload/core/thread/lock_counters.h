// The five per-lock counts a thread keeps, as one type: the live counters in
// a lock table slot, and the snapshot that is written out (LOCK_COUNTS) or
// compared (count_snapshots.h).
//
// Only the owning thread writes its counters while it runs, so they are
// bumped with plain relaxed load/store pairs (no locked instructions); they
// are atomics only so that another thread may read a running thread's
// counters without undefined behaviour.
#pragma once

#include <contend/trace_format.h>

#include <atomic>
#include <cstdint>

namespace contend::preload {

inline void bump(std::atomic<uint64_t>& counter, uint64_t by = 1) {
  counter.store(counter.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}

// The counts at one moment, as plain numbers.
struct LockCountValues {
  uint64_t acquisitions = 0;      // successful acquisitions, contended or not
  uint64_t contended = 0;         // acquisitions that had to wait
  uint64_t trylock_failures = 0;  // trylocks that found the lock busy
  uint64_t wakes = 0;             // signal/broadcast, FUTEX_WAKE, sem_post
  uint64_t timeouts = 0;          // timed acquisitions that gave up

  LockCountValues& operator+=(const LockCountValues& o) {
    acquisitions += o.acquisitions;
    contended += o.contended;
    trylock_failures += o.trylock_failures;
    wakes += o.wakes;
    timeouts += o.timeouts;
    return *this;
  }
  bool any() const { return (acquisitions | contended | trylock_failures | wakes | timeouts) != 0; }
  // Each count only grows within a generation: the sum changes whenever
  // one of them does.
  uint64_t sum() const { return acquisitions + contended + trylock_failures + wakes + timeouts; }

  void write_to(format::LockCountsRecord& r) const {
    r.acquisitions = acquisitions;
    r.contended = contended;
    r.trylock_failures = trylock_failures;
    r.wakes = wakes;
    r.timeouts = timeouts;
  }
  static LockCountValues of(const format::LockCountsRecord& r) {
    return {r.acquisitions, r.contended, r.trylock_failures, r.wakes, r.timeouts};
  }
};

// The live counters of one lock table slot.
struct LockCounters {
  std::atomic<uint64_t> acquisitions{0};
  std::atomic<uint64_t> contended{0};
  std::atomic<uint64_t> trylock_failures{0};
  std::atomic<uint64_t> wakes{0};
  std::atomic<uint64_t> timeouts{0};

  LockCountValues snapshot() const {
    return {acquisitions.load(std::memory_order_relaxed), contended.load(std::memory_order_relaxed),
            trylock_failures.load(std::memory_order_relaxed), wakes.load(std::memory_order_relaxed),
            timeouts.load(std::memory_order_relaxed)};
  }
  // Owner only.
  LockCounters& operator+=(const LockCountValues& v) {
    bump(acquisitions, v.acquisitions);
    bump(contended, v.contended);
    bump(trylock_failures, v.trylock_failures);
    bump(wakes, v.wakes);
    bump(timeouts, v.timeouts);
    return *this;
  }
  void clear() {
    acquisitions.store(0, std::memory_order_relaxed);
    contended.store(0, std::memory_order_relaxed);
    trylock_failures.store(0, std::memory_order_relaxed);
    wakes.store(0, std::memory_order_relaxed);
    timeouts.store(0, std::memory_order_relaxed);
  }
};
static_assert(sizeof(LockCounters) == 40);

}  // namespace contend::preload
