#include "record/stack_capture.h"

#include "base/recorder_settings.h"
#include "base/zeroed_mapping.h"
#include "record/stack_memo.h"
#include "record/unwinder.h"

#include <cerrno>
#include <cstring>

namespace contend::preload {

namespace {

constexpr uint32_t kMaxProbes = 32;

uint64_t hash_frames(const uint64_t* frames, uint32_t depth) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ depth;
  for (uint32_t i = 0; i < depth; ++i) {
    h ^= frames[i];
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
  }
  return h == 0 ? 1 : h;
}

bool ours(uint64_t pc) {
  return settings().own_text.contains(pc);
}

}  // namespace

bool StackIdSet::init(uint32_t capacity) {
  ids_ = map_zeroed_array<std::atomic<uint64_t>>(capacity);
  if (ids_ == nullptr) return false;
  capacity_ = capacity;
  return true;
}

bool StackIdSet::contains(uint64_t id) const {
  if (ids_ == nullptr) return false;
  uint32_t mask = capacity_ - 1;
  for (uint32_t probe = 0; probe < kMaxProbes; ++probe) {
    uint64_t v = ids_[(id + probe) & mask].load(std::memory_order_acquire);
    if (v == id) return true;
    if (v == 0) return false;
  }
  return false;
}

void StackIdSet::insert(uint64_t id) {
  if (ids_ == nullptr) return;
  uint32_t mask = capacity_ - 1;
  for (uint32_t probe = 0; probe < kMaxProbes; ++probe) {
    std::atomic<uint64_t>& slot = ids_[(id + probe) & mask];
    uint64_t v = slot.load(std::memory_order_acquire);
    if (v == id) return;
    if (v == 0 && slot.compare_exchange_strong(v, id, std::memory_order_acq_rel)) return;
    if (v == id) return;
  }
}

void StackIdSet::clear() {
  for (uint32_t i = 0; i < capacity_; ++i) ids_[i].store(0, std::memory_order_relaxed);
}

StackIdSet& written_stacks() {
  static StackIdSet set;
  return set;
}

namespace {

// The walk's raw addresses: ours, then the program's.
int walk_raw(void** raw, uint32_t want) {
  int saved_errno = errno;  // the unwinder may set it; the caller's call succeeded
  // Our own frames come first; ask for enough to drop them.
  int n = walk_stack(raw, static_cast<int>(want + 16));
  errno = saved_errno;
  return n;
}

uint32_t program_frames(void* const* raw, int n, uint64_t* frames, uint32_t want, uintptr_t caller_pc) {
  uint32_t depth = 0;
  int first = 0;
  while (first < n && ours(reinterpret_cast<uint64_t>(raw[first]))) ++first;
  for (int i = first; i < n && depth < want; ++i) {
    uint64_t pc = reinterpret_cast<uint64_t>(raw[i]);
    if (!ours(pc)) frames[depth++] = pc;
  }
  if (depth == 0 && caller_pc != 0) frames[depth++] = caller_pc;
  return depth;
}

uint32_t wanted_depth(uint32_t capacity) {
  uint32_t want = settings().stack_depth;
  return want > capacity ? capacity : want;
}

}  // namespace

uint32_t capture_stack(uint64_t* frames, uint32_t capacity, uintptr_t caller_pc) {
  uint32_t want = wanted_depth(capacity);
  void* raw[format::kMaxStackDepth + 16];
  int n = want > 1 ? walk_raw(raw, want) : 0;
  return program_frames(raw, n, frames, want, caller_pc);
}

uint64_t intern_stack(ThreadState& t, const uint64_t* frames, uint32_t depth) {
  if (depth == 0) return 0;
  uint64_t id = hash_frames(frames, depth);
  uint64_t& cached = t.stack_cache[id % ThreadState::kStackCacheSize];
  if (cached == id) return id;
  StackIdSet& written = written_stacks();
  if (!written.contains(id)) {
    uint32_t size = static_cast<uint32_t>(sizeof(format::StackRecord) + sizeof(uint64_t) * depth);
    std::byte* dst = t.ring.reserve(size);
    if (dst == nullptr) {
      t.count_drop(static_cast<uint8_t>(format::RecordKind::kStack));
      return id;  // the waits still name it; the reader reports it unknown
    }
    format::StackRecord r{};
    r.header = format::make_header<format::StackRecord>(size);
    r.id = id;
    r.depth = depth;
    std::memcpy(dst, &r, sizeof(r));
    std::memcpy(dst + sizeof(r), frames, sizeof(uint64_t) * depth);
    t.ring.commit(size);
    bump(t.produced);
    written.insert(id);
  }
  cached = id;
  return id;
}

// Not inlined, with a frame of its own: its frame address is the memo's
// anchor, and the word above it the return address the memo starts from.
__attribute__((noinline)) uint64_t current_stack_id(ThreadState& t) {
  // Every preserved register saved here, at the same places at every call:
  // the memo checks those a caller's CFA is computed from.
  __asm__ volatile("" ::: "rbx", "r12", "r13", "r14", "r15");
  auto anchor = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  uint64_t frames[format::kMaxStackDepth];
  StackMemo* memo = t.stack_memo;
  uint64_t owner = (static_cast<uint64_t>(t.tid) << 40) ^ t.start_ticks;
  if (memo != nullptr) {
    uint32_t depth = memo->find(owner, anchor, t.caller_pc, frames);
    t.stack_reused = depth != 0;
    if (depth != 0) return intern_stack(t, frames, depth);
  }
  uint32_t want = wanted_depth(format::kMaxStackDepth);
  void* raw[format::kMaxStackDepth + 16];
  int n = want > 1 ? walk_raw(raw, want) : 0;
  uint32_t depth = program_frames(raw, n, frames, want, t.caller_pc);
  if (memo != nullptr && n > 0 && want <= StackMemo::kFrames &&
      memo->should_learn(owner, anchor, t.caller_pc))
    memo->learn(owner, anchor, t.caller_pc, raw, n, frames, depth, t.stack);
  return intern_stack(t, frames, depth);
}

}  // namespace contend::preload
