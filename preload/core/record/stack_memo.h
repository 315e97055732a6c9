// A thread's recent stack walks, reused while its stack still holds them.
//
// A wait's stack is walked before the thread blocks. On a lock held for a
// few hundred nanoseconds, that walk (0.3 to 1 us) is longer than the hold,
// and it changes who gets the lock next: the rwlock-bound graph_cache
// example ran 1.4x slower profiled, and as fast as plain without walks.
// A thread that waits again from the same call, with the walking frame at
// the same address, mostly has the same stack. The memo keeps, per (call
// site, frame address), the last walk's frames and the stack words that
// place that chain of calls, and reuses the walk while every one of those
// words is unchanged.
//
// The words are found once, with a slower walk that says where each frame
// is (libunwind's cursor), and are read in chain order, so that each one's
// place follows from the words before it:
// - the return address into each frame, just below its callee's CFA;
// - for a frame whose CFA is computed from a preserved register (a frame
//   pointer, whose frame may vary in size: an alloca, a realigned local;
//   glibc's lazy-binding trampoline, rbx; libffi, rbp + 32): that
//   register's value where a callee saved it; a frame realigned through a
//   saved CFA, that word too. (The walking frame saves every preserved
//   register itself, so that each is in memory.)
// Any other frame's CFA is its stack pointer plus a constant at a given
// address, so the same return address at the same place is the same frame.
// Assumed: a register-based CFA lies at most 256 bytes above the register,
// and no unwind rule reads memory other than a realigned frame's saved
// CFA, as compilers and glibc emit.
// Every word read, learning or reusing, lies in the thread's own stack,
// between the walking frame and the stack's top (thread/thread_stack.h),
// which stays mapped while the thread lives: plain loads that cannot
// fault, even where those assumptions fail (a hand-written rule, a stack
// switch: a wrong stack at worst). Nothing is kept for a thread whose stack
// is not known, for a wait on a fiber's or coroutine's stack, through a
// signal frame, or past 64 KiB above the anchor.
#pragma once

#include "record/unwinder.h"
#include "thread/thread_stack.h"

#include <cstdint>

namespace contend::preload {

class StackMemo {
 public:
  // Two ways per set: keys that hash alike (a thread's waits from several
  // lock kinds) would otherwise evict each other's walks at every wait.
  static constexpr uint32_t kEntries = 8;
  static constexpr uint32_t kWays = 2;
  static constexpr uint32_t kSets = kEntries / kWays;
  static constexpr uint32_t kFrames = 16;  // program frames kept (the default depth)
  static constexpr uint32_t kSlots = 64;   // words checked: return addresses (ours included), frame pointers
  static constexpr uint32_t kMaxSpan = 64 * 1024;
  static constexpr uint32_t kWalked = 48;  // frames of the walk that learns: ours below the anchor too
  // Walks before a key that could not be kept is tried again.
  static constexpr uint32_t kRetryAfter = 64;
  // Learning walks allowed before reuses must pay for them (1 per 128),
  // or waits come that were not reused (1 per 1024).
  static constexpr uint64_t kFreeLearns = 16;
  static constexpr uint64_t kReusesPerLearn = 128;
  static constexpr uint64_t kWaitsPerLearn = 1024;
  // The walking frame's own saved registers, just below the anchor.
  static constexpr uint64_t kBelowAnchor = 64;

  // The frames of the walk kept for (anchor, caller_pc), into `frames`:
  // their number, or 0 when there is none or the stack changed. `anchor`
  // is the frame address of the walking function, whose return address is
  // the word just above it. `owner` names the thread (entries of an
  // earlier thread that used this memory are not its own).
  uint32_t find(uint64_t owner, uintptr_t anchor, uintptr_t caller_pc, uint64_t* frames);

  // After a walk from `anchor`: `raw` is everything the walk returned,
  // innermost first (our own frames too), `frames` the program's part.
  // Keeps it when every return address from the anchor's up is found, and
  // every word to check lies inside `stack`, the thread's own.
  void learn(uint64_t owner, uintptr_t anchor, uintptr_t caller_pc, void* const* raw, int n,
             const uint64_t* frames, uint32_t depth, const StackBounds& stack);

  // Whether learn() would try now (false while a failed key waits).
  bool should_learn(uint64_t owner, uintptr_t anchor, uintptr_t caller_pc);

  // For tests: the set a key falls in, and the anchor of the last walk learnt.
  static uint32_t set_index(uintptr_t anchor, uintptr_t caller_pc);
  uintptr_t last_anchor() const { return last_anchor_; }

  // Walks reused and walks kept, for tests and benchmarks.
  uint64_t reused() const { return reused_; }
  uint64_t kept() const { return kept_; }

 private:
  struct Entry {
    uint64_t owner;
    uintptr_t anchor;
    uintptr_t caller_pc;
    uint32_t slots;  // words checked; 0: nothing kept
    uint32_t depth;
    uint32_t retry_countdown;     // a key that could not be kept
    uint64_t last_use;            // of the memo's uses (uses_) when last learnt or reused
    int32_t slot_offset[kSlots];  // from the anchor
    uint64_t slot_value[kSlots];
    uint64_t frames[kFrames];
  };

  Entry* set_of(uintptr_t anchor, uintptr_t caller_pc);
  Entry* lookup(uint64_t owner, uintptr_t anchor, uintptr_t caller_pc);
  bool add_check(Entry& e, const StackBounds& stack, uint64_t address, uint64_t value) const;
  bool place_checks(Entry& e, const StackBounds& stack, const WalkedFrame* w, int top, int frames) const;

  Entry entries_[kEntries];
  uint64_t reused_;
  uint64_t kept_;
  uint64_t learns_;
  uint64_t unreused_;  // waits that found nothing to reuse
  uint64_t uses_;
  uintptr_t last_anchor_;
  WalkedFrame walked_[kWalked];
};

}  // namespace contend::preload
