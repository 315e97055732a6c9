#include "record/stack_memo.h"

#include "base/own_memory.h"
#include "record/unwinder.h"

#include <cstring>

namespace contend::preload {

namespace {

// A word of our own stack read through the kernel: never a fault.
bool read_word(uint64_t address, uint64_t* value) {
  return read_own_memory(value, reinterpret_cast<const void*>(address), sizeof(*value)) ==
         static_cast<long>(sizeof(*value));
}

}  // namespace

uint32_t StackMemo::index(uintptr_t anchor, uintptr_t caller_pc) {
  uint64_t h = (anchor >> 4) * 0x9E3779B97F4A7C15ull ^ caller_pc;
  return static_cast<uint32_t>((h ^ (h >> 29)) % kEntries);
}

// Reads the program's stack directly: each word read held a return address
// of this thread's stack when the walk was kept, and the check stops at the
// first one that no longer does. Not instrumented: a word of a frame that
// changed may now sit in a sanitizer's redzone.
__attribute__((no_sanitize("address", "thread"))) uint32_t StackMemo::find(uint64_t owner, uintptr_t anchor,
                                                                           uintptr_t caller_pc,
                                                                           uint64_t* frames) const {
  const Entry& e = entries_[index(anchor, caller_pc)];
  if (e.slots == 0 || e.owner != owner || e.anchor != anchor || e.caller_pc != caller_pc) return 0;
  for (uint32_t i = 0; i < e.slots; ++i) {
    auto* word = reinterpret_cast<const volatile uint64_t*>(anchor + e.slot_offset[i]);
    if (*word != e.slot_value[i]) return 0;
  }
  std::memcpy(frames, e.frames, sizeof(uint64_t) * e.depth);
  ++reused_;
  return e.depth;
}

bool StackMemo::should_learn(uint64_t owner, uintptr_t anchor, uintptr_t caller_pc) {
  Entry& e = entries_[index(anchor, caller_pc)];
  if (e.owner != owner || e.anchor != anchor || e.caller_pc != caller_pc) return true;
  if (e.slots != 0) {
    // A kept walk from here no longer matched: another chain of calls
    // reaches the same place. Keep the kept one for a while (it may come
    // back) rather than learn at every change.
    e.retry_countdown = kRetryAfter;
    return false;
  }
  if (e.retry_countdown == 0) return true;
  --e.retry_countdown;
  return false;
}

bool StackMemo::add_check(Entry& e, uint64_t address, uint64_t value) const {
  if (address < e.anchor || address - e.anchor >= kMaxSpan || e.slots == kSlots) return false;
  e.slot_offset[e.slots] = static_cast<uint32_t>(address - e.anchor);
  e.slot_value[e.slots] = value;
  ++e.slots;
  return true;
}

// The checks that tell the same chain of calls, in the order a reuse reads
// them: each word's place follows from the words checked before it, so a
// reuse only ever reads the live stack of the chain that matched so far.
// From frame j to frame j+1:
// - a frame whose CFA is its rbp plus 16 (it keeps a frame pointer: its
//   size may vary, with alloca or a realigned local), or its rbp's word
//   below (a realigned frame's saved CFA): its rbp, where a callee saved
//   it, and that word;
// - any other frame has a fixed size at a given address (its CFA is its
//   stack pointer plus a constant);
// - then the return address into frame j+1, just below frame j's CFA.
bool StackMemo::place_checks(Entry& e, const WalkedFrame* w, int top, int frames) const {
  if (!add_check(e, e.anchor + sizeof(uint64_t), w[top].ip)) return false;
  for (int j = top; j + 1 < top + frames; ++j) {
    if (w[j].signal || w[j + 1].signal) return false;
    uint64_t cfa = w[j + 1].sp;
    uint64_t saved_cfa = 0;
    bool realigned = w[j].fp > sizeof(uint64_t) && read_word(w[j].fp - sizeof(uint64_t), &saved_cfa) &&
                     saved_cfa == cfa && cfa != w[j].fp + 16;
    if (cfa == w[j].fp + 16 || realigned) {
      uint64_t at = w[j].fp_saved_at;
      if (at == 0 || at >= w[j].sp || !add_check(e, at, w[j].fp)) return false;
      if (realigned && !add_check(e, w[j].fp - sizeof(uint64_t), cfa)) return false;
    }
    uint64_t slot = cfa - sizeof(uint64_t);
    uint64_t value = 0;
    if (!read_word(slot, &value) || value != w[j + 1].ip || !add_check(e, slot, value)) return false;
  }
  return true;
}

void StackMemo::learn(uint64_t owner, uintptr_t anchor, uintptr_t caller_pc, void* const* raw, int n,
                      const uint64_t* frames, uint32_t depth) {
  Entry& e = entries_[index(anchor, caller_pc)];
  e.owner = owner;
  e.anchor = anchor;
  e.caller_pc = caller_pc;
  e.slots = 0;
  e.depth = 0;
  e.retry_countdown = kRetryAfter;
  if (depth == 0 || depth > kFrames) return;
  // The walk passed through the anchor's frame: its return address is the
  // word above the anchor (our own frame, readable), and one of the walk's.
  uint64_t anchor_return = *reinterpret_cast<const uint64_t*>(anchor + sizeof(uint64_t));
  int first = 0;
  while (first < n && reinterpret_cast<uint64_t>(raw[first]) != anchor_return) ++first;
  int wanted = n - first;
  if (wanted <= 0 || wanted > static_cast<int>(kSlots)) return;
  // Walked again, slower, to learn where each frame is: ours below the
  // anchor first (this function's, the walker's), then the same frames.
  WalkedFrame* w = walked_;  // here, not on the program's stack, which may be small
  int m = walk_stack_frames(w, static_cast<int>(kWalked));
  int top = 0;
  while (top < m && w[top].sp != anchor + 2 * sizeof(uint64_t)) ++top;
  if (m - top < wanted) return;
  for (int i = 0; i < wanted; ++i)
    if (w[top + i].ip != reinterpret_cast<uint64_t>(raw[first + i])) return;
  if (!place_checks(e, w, top, wanted)) {
    e.slots = 0;
    return;
  }
  std::memcpy(e.frames, frames, sizeof(uint64_t) * depth);
  e.depth = depth;
  e.retry_countdown = 0;
  ++kept_;
}

}  // namespace contend::preload
