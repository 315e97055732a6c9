// A thread's recent stack walks, reused while its stack still holds them.
//
// A wait's stack is walked before the thread blocks. On a lock held for a
// few hundred nanoseconds, that walk (0.3 to 1 us) is longer than the hold,
// and it changes who gets the lock next: the rwlock-bound graph_cache
// example ran 1.5x slower profiled, and as fast as plain without walks.
// A thread that waits again from the same call, with the walking frame at
// the same address, mostly has the same stack. The memo keeps, per (call
// site, frame address), the last walk's frames and the stack word where
// each of its return addresses was found, and reuses the walk only while
// every one of those words still holds that address: the same return
// addresses at the same places are the same chain of calls.
//
// Where a word was found is learnt by reading up the stack with the kernel
// (base/own_memory.h), never by touching memory directly, and a walk is not
// kept when that reading is ambiguous: a signal frame on the way, a return
// address not found, or an earlier frame's address met again before the
// next one's (a stale copy left by an older call, which could be taken for
// the real slot).
#pragma once

#include <cstdint>

namespace contend::preload {

class StackMemo {
 public:
  static constexpr uint32_t kEntries = 8;
  static constexpr uint32_t kFrames = 16;  // program frames kept (the default depth)
  static constexpr uint32_t kSlots = 48;   // return addresses checked, ours included
  static constexpr uint32_t kMaxSpan = 64 * 1024;
  // Walks before a key that could not be kept is tried again.
  static constexpr uint32_t kRetryAfter = 64;

  // The frames of the walk kept for (anchor, caller_pc), into `frames`:
  // their number, or 0 when there is none or the stack changed. `anchor`
  // is the frame address of the walking function, whose return address is
  // the word just above it. `owner` names the thread (entries of an
  // earlier thread that used this memory are not its own).
  uint32_t find(uint64_t owner, uintptr_t anchor, uintptr_t caller_pc, uint64_t* frames) const;

  // After a walk from `anchor`: `raw` is everything the walk returned,
  // innermost first (our own frames too), `frames` the program's part.
  // Keeps it when every return address from the anchor's up is found.
  void learn(uint64_t owner, uintptr_t anchor, uintptr_t caller_pc, void* const* raw, int n,
             const uint64_t* frames, uint32_t depth);

  // Whether learn() would try now (false while a failed key waits).
  bool should_learn(uint64_t owner, uintptr_t anchor, uintptr_t caller_pc);

  // Walks reused and walks kept, for tests and benchmarks.
  uint64_t reused() const { return reused_; }
  uint64_t kept() const { return kept_; }

 private:
  struct Entry {
    uint64_t owner;
    uintptr_t anchor;
    uintptr_t caller_pc;
    uint32_t slots;  // 0: nothing kept
    uint32_t depth;
    uint32_t retry_countdown;  // a key that could not be kept
    uint32_t slot_offset[kSlots];
    uint64_t slot_value[kSlots];
    uint64_t frames[kFrames];
  };

  static uint32_t index(uintptr_t anchor, uintptr_t caller_pc);
  bool locate_slots(Entry& e, void* const* raw, int first, int n);

  Entry entries_[kEntries];
  mutable uint64_t reused_;
  uint64_t kept_;
  uint64_t window_[256];  // stack words read by learn()
};

}  // namespace contend::preload
