// Everything the recorder keeps for one application thread: its ring of
// pending records, its acquisition counters and its drop counts. One
// ThreadState lives at the start of one mmap'd region, followed by the ring
// buffer and the lock table; regions are reused by later threads.
#pragma once

#include "thread/lock_table.h"
#include "thread/ring_pressure.h"
#include "thread/spsc_ring.h"
#include "thread/thread_stack.h"

#include <contend/trace_format.h>

#include <pthread.h>
#include <atomic>
#include <cstdint>

namespace contend::preload {

class StackMemo;

// A sampled acquisition whose hold is being timed.
struct HeldLock {
  const void* lock;
  uint64_t start;  // ticks
  uintptr_t site;  // acquiring call's return address
  uint32_t generation;
  uint32_t weight;  // acquisitions this sample stands for
  format::WaitKind kind;
  uint32_t nested;  // read acquisitions of the same lock inside this hold, not yet released
};

struct ThreadState {
  static constexpr uint32_t kStackCacheSize = 64;
  static constexpr uint32_t kMaxHeld = 8;

  // Identity, fixed while the thread is attached.
  uint32_t tid = 0;
  uint32_t slot_index = 0;
  pthread_t handle{};
  uint64_t start_ticks = 0;

  // Set while this thread runs inside one of our hooks, so that a lock taken
  // by a signal handler (or by code we call) is forwarded, not recorded.
  bool in_hook = false;
  // Return address of the interposed call being handled: the call site.
  uintptr_t caller_pc = 0;

  // Stack ids this thread has written or seen written (direct-mapped).
  uint64_t stack_cache[kStackCacheSize] = {};
  // Its recent walks (record/stack_memo.h), in its region after this
  // state; none for a state made outside the registry.
  StackMemo* stack_memo = nullptr;
  // Whether the last stack taken was reused from the memo, not walked.
  bool stack_reused = false;
  // The thread's own stack, where the memo may read ({0, 0}: not known).
  StackBounds stack{};

  // Releases others waited for, summed per (lock, acquiring site) until a
  // different one comes or it grows old (see acquisition.cpp).
  struct PendingRelease {
    const void* lock = nullptr;
    uintptr_t site = 0;
    uint64_t first_time = 0;
    uint64_t caused = 0;
    uint32_t generation = 0;
    uint32_t releases = 0;
    uint32_t waiters = 0;
    format::WaitKind kind = format::WaitKind::kMutex;
  } pending_release;

  // Hold sampling: every N-th acquisition is timed until its release; N
  // (hold_interval) adapts to cap the sample rate.
  uint32_t hold_countdown = 1;
  uint32_t hold_interval = 1;
  uint64_t last_hold_sample = 0;
  uint32_t held_count = 0;
  HeldLock held[kMaxHeld] = {};

  // Written by the thread when it exits, read by the drain afterwards.
  uint64_t end_ticks = 0;
  uint64_t cpu_ns = 0;
  char name[16] = {};

  // Records lost because the ring was full, by record kind.
  std::atomic<uint64_t> dropped[format::kDropClasses] = {};
  std::atomic<uint64_t> produced{0};  // records pushed, for tests and stats

  SpscRing ring;
  LockTable table;

  uint64_t total_dropped() const {
    uint64_t sum = 0;
    for (const auto& d : dropped) sum += d.load(std::memory_order_relaxed);
    return sum;
  }

  // Producer side: pushes a fixed-size record, counting a drop under its
  // kind when the ring is full.
  template <typename Record>
  bool push(const Record& record) {
    static_assert(sizeof(Record) % format::kRecordAlign == 0);
    return push_bytes(&record, sizeof(Record), record.header.kind);
  }

  bool push_bytes(const void* record, uint32_t size, uint8_t kind) {
    if (ring.push(record, size)) {
      bump(produced);
      if (ring.producer_fill_estimate() > ring.capacity() / 4) [[unlikely]]
        ring_pressure();
      return true;
    }
    count_drop(kind);
    return false;
  }

  void count_drop(uint8_t kind) { bump(dropped[kind < format::kDropClasses ? kind : 0]); }

  // The estimate says a quarter full: look again, and tell the drain.
  [[gnu::cold, gnu::noinline]] void ring_pressure() {
    if (ring.producer_fill() > ring.capacity() / 4) respond_to_ring_pressure();
  }
};

}  // namespace contend::preload
