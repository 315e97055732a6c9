// Which acquisition counts the drain has written, so that a periodic
// snapshot writes only the lock table slots that changed since.
//
// LOCK_COUNTS records are cumulative: the reader keeps the last one per
// (thread, table epoch, lock, generation, wait kind). A thread's counts
// used to be written only when it ended, so a killed process lost them
// all; written every flush period, a kill loses at most one period.
//
// Drain only. Per thread slot, a small open-addressing map from table key
// to the counts last written, in its own mapping; a new table incarnation
// (new epoch: a new thread in the slot, or a full table restarted) starts
// it afresh.
#pragma once

#include "thread/thread_state.h"

#include <contend/trace_format.h>

#include <cstdint>
#include <vector>

namespace contend::preload {

class CountSnapshots {
 public:
  CountSnapshots() = default;
  ~CountSnapshots();
  CountSnapshots(const CountSnapshots&) = delete;
  CountSnapshots& operator=(const CountSnapshots&) = delete;

  // Maps the table of shadows, one per thread slot (a fixed array: a fork
  // in the middle of a pass leaves no half-grown container behind). False
  // when memory is short; snapshots are then not written.
  bool init(uint32_t max_threads);

  // Appends to `out` a record for every slot of t's table that changed
  // since the last call for t. `t` may be running: when its table was
  // restarted meanwhile, nothing is appended (the thread wrote that
  // table's counts itself) and the next call starts afresh.
  void collect_changed(const ThreadState& t, std::vector<format::LockCountsRecord>& out);

  // The thread in slot `slot_index` is finished.
  void forget(uint32_t slot_index);

 private:
  struct Entry {
    uint64_t key;  // LockTable key; 0 = empty
    uint64_t sum;  // of the five counters written
    uint32_t generation;
    uint32_t unused;
  };
  struct Shadow {
    uint32_t epoch = 0;  // table epochs start at 1
    uint32_t used = 0;
    uint32_t capacity = 0;  // power of two, or 0 before the first use
    Entry* entries = nullptr;
  };

  // True when `key`'s counts differ from those last written (and records
  // them as written). False when equal, or when no memory is left.
  bool changed(Shadow& s, uint64_t key, uint64_t sum, uint32_t generation);
  bool grow(Shadow& s);
  static void release(Shadow& s);
  void unmap_all();

  Shadow* shadows_ = nullptr;  // by thread slot index
  uint32_t max_threads_ = 0;
};

}  // namespace contend::preload
