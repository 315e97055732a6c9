// The five counters the recorder keeps per lock and thread (LOCK_COUNTS
// records), as one value: the decoded model keeps them per thread, a lock's
// row and the report's summary sum them.
#pragma once

#include <contend/trace_format.h>

#include <cstdint>

namespace contend::analyze {

struct LockCounts {
  uint64_t acquisitions = 0;      // successful acquisitions, contended or not
  uint64_t contended = 0;         // acquisitions that had to wait
  uint64_t trylock_failures = 0;  // trylocks that found the lock busy
  uint64_t wakes = 0;             // signal/broadcast, FUTEX_WAKE, sem_post
  uint64_t timeouts = 0;          // timed acquisitions that gave up

  static LockCounts of(const format::LockCountsRecord& r) {
    return {r.acquisitions, r.contended, r.trylock_failures, r.wakes, r.timeouts};
  }

  LockCounts& operator+=(const LockCounts& o) {
    acquisitions += o.acquisitions;
    contended += o.contended;
    trylock_failures += o.trylock_failures;
    wakes += o.wakes;
    timeouts += o.timeouts;
    return *this;
  }

  // contended / acquisitions, 0..1.
  double contention_rate() const {
    return acquisitions == 0 ? 0.0 : static_cast<double>(contended) / static_cast<double>(acquisitions);
  }
};

}  // namespace contend::analyze
