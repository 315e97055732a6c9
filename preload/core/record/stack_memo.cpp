#include "record/stack_memo.h"

#include "base/own_memory.h"

#include <cstring>

namespace contend::preload {

namespace {

// glibc's signal return trampoline on x86-64 (mov $15, %rax; syscall): a
// frame after it was interrupted, not called, and its address is not a
// return address pushed on this stack.
constexpr unsigned char kSigreturn[] = {0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05};

// Whether every address from `first` on is readable code and none is the
// signal return trampoline: one read for all of them.
bool plain_calls_only(void* const* raw, int first, int n) {
  constexpr int kMax = StackMemo::kSlots;
  unsigned char code[kMax][sizeof(kSigreturn)];
  struct iovec to[kMax];
  struct iovec from[kMax];
  int pieces = n - first;
  if (pieces <= 0 || pieces > kMax) return false;
  for (int i = 0; i < pieces; ++i) {
    to[i] = {code[i], sizeof(kSigreturn)};
    from[i] = {raw[first + i], sizeof(kSigreturn)};
  }
  long got = read_own_memory(to, from, pieces);
  if (got != static_cast<long>(pieces * sizeof(kSigreturn))) return false;
  for (int i = 0; i < pieces; ++i)
    if (std::memcmp(code[i], kSigreturn, sizeof(kSigreturn)) == 0) return false;
  return true;
}

uint64_t bloom_bit(uint64_t value) {
  return 1ull << ((value ^ (value >> 12)) & 63);
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
  if (e.owner != owner || e.anchor != anchor || e.caller_pc != caller_pc || e.retry_countdown == 0)
    return true;
  --e.retry_countdown;
  return false;
}

bool StackMemo::locate_slots(Entry& e, void* const* raw, int first, int n) {
  uintptr_t pos = e.anchor + sizeof(uint64_t);  // the anchor's return address
  uintptr_t window_start = 0;
  uintptr_t window_end = 0;
  uint64_t earlier = 0;  // bloom filter of the addresses already placed
  uint32_t count = 0;
  for (int k = first; k < n; ++k, pos += sizeof(uint64_t)) {
    uint64_t want = reinterpret_cast<uint64_t>(raw[k]);
    for (;; pos += sizeof(uint64_t)) {
      if (pos - e.anchor >= kMaxSpan) return false;
      if (pos < window_start || pos + sizeof(uint64_t) > window_end) {
        long got = read_own_memory(window_, reinterpret_cast<const void*>(pos), sizeof(window_));
        if (got < static_cast<long>(sizeof(uint64_t))) return false;
        window_start = pos;
        window_end = pos + (static_cast<uintptr_t>(got) & ~uintptr_t{7});
      }
      uint64_t word = window_[(pos - window_start) / sizeof(uint64_t)];
      if (word == want) break;
      if ((earlier & bloom_bit(word)) != 0) {
        for (int m = first; m < k; ++m)
          if (reinterpret_cast<uint64_t>(raw[m]) == word)
            return false;  // a stale copy, or a real slot passed
      }
    }
    e.slot_offset[count] = static_cast<uint32_t>(pos - e.anchor);
    e.slot_value[count] = want;
    ++count;
    earlier |= bloom_bit(want);
  }
  e.slots = count;
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
  if (first == n || !plain_calls_only(raw, first, n) || !locate_slots(e, raw, first, n)) {
    e.slots = 0;
    return;
  }
  std::memcpy(e.frames, frames, sizeof(uint64_t) * depth);
  e.depth = depth;
  e.retry_countdown = 0;
  ++kept_;
}

}  // namespace contend::preload
