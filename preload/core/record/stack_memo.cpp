#include "record/stack_memo.h"

#include "record/unwinder.h"

#include <cstring>

namespace contend::preload {

namespace {

// A word of the thread's own stack, read only inside the range that stays
// mapped while the thread lives (thread/thread_stack.h).
bool read_word(const StackBounds& stack, uint64_t address, uint64_t* value) {
  if (!stack.contains(address, address + sizeof(*value) - 1)) return false;
  *value = *reinterpret_cast<const volatile uint64_t*>(address);
  return true;
}

}  // namespace

uint32_t StackMemo::set_index(uintptr_t anchor, uintptr_t caller_pc) {
  uint64_t h = (anchor >> 4) * 0x9E3779B97F4A7C15ull ^ caller_pc;
  return static_cast<uint32_t>((h ^ (h >> 29)) % kSets);
}

StackMemo::Entry* StackMemo::set_of(uintptr_t anchor, uintptr_t caller_pc) {
  return &entries_[set_index(anchor, caller_pc) * kWays];
}

StackMemo::Entry* StackMemo::lookup(uint64_t owner, uintptr_t anchor, uintptr_t caller_pc) {
  Entry* set = set_of(anchor, caller_pc);
  for (uint32_t w = 0; w < kWays; ++w) {
    Entry& e = set[w];
    if (e.owner == owner && e.anchor == anchor && e.caller_pc == caller_pc) return &e;
  }
  return nullptr;
}

// Reads the program's stack directly: every word checked lies inside the
// thread's own stack, between the anchor's frame and the stack's top (learn
// keeps nothing else), which stays mapped. Not instrumented: a word of a
// frame that changed may now sit in a sanitizer's redzone.
__attribute__((no_sanitize("address", "thread"))) uint32_t StackMemo::find(uint64_t owner, uintptr_t anchor,
                                                                           uintptr_t caller_pc,
                                                                           uint64_t* frames) {
  Entry* found = lookup(owner, anchor, caller_pc);
  if (found == nullptr || found->slots == 0) return 0;
  Entry& e = *found;
  for (uint32_t i = 0; i < e.slots; ++i) {
    auto* word = reinterpret_cast<const volatile uint64_t*>(anchor + static_cast<intptr_t>(e.slot_offset[i]));
    if (*word != e.slot_value[i]) return 0;
  }
  std::memcpy(frames, e.frames, sizeof(uint64_t) * e.depth);
  e.retry_countdown = 0;  // the kept chain is back
  e.last_use = ++uses_;
  ++reused_;
  return e.depth;
}

bool StackMemo::should_learn(uint64_t owner, uintptr_t anchor, uintptr_t caller_pc) {
  // A learning walk costs tens of microseconds, about what 80 reuses save:
  // after the first few, one per 128 reuses, so that chains that come back
  // too seldom to stay kept (more of them than entries) cannot cost more
  // than their reuses saved; and one per 1024 waits not reused, so that a
  // thread whose first waits never repeat still learns its later ones.
  ++unreused_;
  if (learns_ >= kFreeLearns + reused_ / kReusesPerLearn + unreused_ / kWaitsPerLearn) return false;
  Entry* found = lookup(owner, anchor, caller_pc);
  if (found == nullptr) return true;
  Entry& e = *found;
  if (e.slots != 0) {
    // The kept walk from here no longer matched: another chain of calls
    // reaches the same place. The kept one stays for kRetryAfter such
    // misses in a row (it may come back), then the newer one is learnt.
    if (e.retry_countdown == 0) e.retry_countdown = kRetryAfter;
    return --e.retry_countdown == 0;
  }
  if (e.retry_countdown == 0) return true;
  --e.retry_countdown;
  return false;
}

bool StackMemo::add_check(Entry& e, const StackBounds& stack, uint64_t address, uint64_t value) const {
  // Below the anchor: only the registers the walking frame saved itself.
  if (address + kBelowAnchor < e.anchor || address >= e.anchor + kMaxSpan || e.slots == kSlots ||
      !stack.contains(address, address + sizeof(uint64_t) - 1))
    return false;
  e.slot_offset[e.slots] = static_cast<int32_t>(address - e.anchor);
  e.slot_value[e.slots] = value;
  ++e.slots;
  return true;
}

// The checks that tell the same chain of calls, in the order a reuse reads
// them: each word's place follows from the words checked before it, so a
// reuse only ever reads the live stack of the chain that matched so far.
// From frame j to frame j+1:
// - the registers frame j's CFA may be computed from: any preserved
//   register whose value lies up to 256 bytes below that CFA (a frame
//   pointer, rbp + 16; glibc's lazy-binding trampoline, rbx + 24; libffi,
//   rbp + 32): its value where a callee saved it; and a frame realigned
//   through a saved CFA (the word below its rbp), that word, after rbp
//   wherever rbp is (gcc's DRAP: a large aligned local puts it far below);
// - a frame with none has its CFA at its stack pointer plus a constant for
//   its address, the rule compilers emit for every other frame;
// - then the return address into frame j+1, just below frame j's CFA.
bool StackMemo::place_checks(Entry& e, const StackBounds& stack, const WalkedFrame* w, int top,
                             int frames) const {
  if (!add_check(e, stack, e.anchor + sizeof(uint64_t), w[top].ip)) return false;
  for (int j = top; j + 1 < top + frames; ++j) {
    if (w[j].signal || w[j + 1].signal) return false;
    uint64_t cfa = w[j + 1].sp;
    for (int r = 0; r < WalkedFrame::kSaved; ++r) {
      uint64_t value = w[j].reg[r];
      if (value >= cfa || cfa - value > 256) continue;
      uint64_t at = w[j].saved_at[r];
      if (at == 0 || at >= w[j].sp || !add_check(e, stack, at, value)) return false;
    }
    uint64_t fp = w[j].reg[0];
    uint64_t saved_cfa = 0;
    if (fp > sizeof(uint64_t) && read_word(stack, fp - sizeof(uint64_t), &saved_cfa) && saved_cfa == cfa) {
      bool fp_checked = fp < cfa && cfa - fp <= 256;  // in the loop above
      uint64_t at = w[j].saved_at[0];
      if (!fp_checked && (at == 0 || at >= w[j].sp || !add_check(e, stack, at, fp))) return false;
      if (!add_check(e, stack, fp - sizeof(uint64_t), cfa)) return false;
    }
    uint64_t slot = cfa - sizeof(uint64_t);
    uint64_t value = 0;
    if (!read_word(stack, slot, &value) || value != w[j + 1].ip || !add_check(e, stack, slot, value))
      return false;
  }
  return true;
}

void StackMemo::learn(uint64_t owner, uintptr_t anchor, uintptr_t caller_pc, void* const* raw, int n,
                      const uint64_t* frames, uint32_t depth, const StackBounds& stack) {
  ++learns_;
  // The key's own entry, or the way of its set used least recently (an
  // earlier thread's first: never used by this one).
  Entry* found = lookup(owner, anchor, caller_pc);
  if (found == nullptr) {
    Entry* set = set_of(anchor, caller_pc);
    found = &set[0];
    for (uint32_t w = 1; w < kWays; ++w) {
      uint64_t use = set[w].owner == owner ? set[w].last_use : 0;
      uint64_t best = found->owner == owner ? found->last_use : 0;
      if (use < best) found = &set[w];
    }
  }
  Entry& e = *found;
  e.last_use = ++uses_;
  last_anchor_ = anchor;
  e.owner = owner;
  e.anchor = anchor;
  e.caller_pc = caller_pc;
  e.slots = 0;
  e.depth = 0;
  e.retry_countdown = kRetryAfter;
  if (depth == 0 || depth > kFrames || !stack.contains(anchor - kBelowAnchor, anchor)) return;
  // Only the live part of the stack is read: from the walking frame's saved
  // registers up. (A walked frame's rbp may hold anything; the part of the
  // range below a live frame may be a guard page, or not mapped yet.)
  const StackBounds live{anchor - kBelowAnchor, stack.hi};
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
  if (!place_checks(e, live, w, top, wanted)) {
    e.slots = 0;
    return;
  }
  std::memcpy(e.frames, frames, sizeof(uint64_t) * depth);
  e.depth = depth;
  e.retry_countdown = 0;
  ++kept_;
}

}  // namespace contend::preload
