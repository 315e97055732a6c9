#include "self_cost.h"

#include "core/base/clock.h"
#include "core/base/real_functions.h"
#include "core/base/recorder_settings.h"
#include "core/record/acquisition.h"
#include "core/record/self_cost.h"
#include "core/record/stack_capture.h"
#include "core/record/stack_memo.h"
#include "core/thread/current_thread.h"

#include <pthread.h>
#include <algorithm>
#include <cstddef>

extern "C" int contend_own_mutex_lock(pthread_mutex_t*) noexcept;
extern "C" int contend_own_mutex_unlock(pthread_mutex_t*) noexcept;

namespace contend::preload {

namespace {

constexpr int kRounds = 5;
constexpr int kPairs = 1000;
constexpr int kWaits = 40;
constexpr int kStacks = 8;
constexpr int kHolds = 40;

// The scratch thread: a ring small enough that a round never fills a
// quarter of it (which would wake the drain), emptied after every round.
alignas(4096) std::byte g_scratch_ring[32u << 10];
LockSlot g_scratch_slots[64];
ThreadState g_scratch;
StackMemo g_scratch_memo;
pthread_mutex_t g_scratch_lock = PTHREAD_MUTEX_INITIALIZER;

uint64_t per_item_ps(uint64_t ns, int items) {
  return ns * 1000 / static_cast<uint64_t>(items);
}

// Our interposers (hooks_mutex.cpp), under the hidden names that always
// reach them (a program's own pthread_mutex_lock must not see these
// calls), or straight to glibc.
uint64_t time_pairs(bool profiled) {
  uint64_t start = monotonic_ns();
  for (int i = 0; i < kPairs; ++i) {
    if (profiled) {
      contend_own_mutex_lock(&g_scratch_lock);
      contend_own_mutex_unlock(&g_scratch_lock);
    } else {
      real().mutex_lock(&g_scratch_lock);
      real().mutex_unlock(&g_scratch_lock);
    }
  }
  return monotonic_ns() - start;
}

uint64_t time_waits() {
  uint64_t start = monotonic_ns();
  for (int i = 0; i < kWaits; ++i)
    WaitInProgress(g_scratch, &g_scratch_lock, format::WaitKind::kMutex).finish(WaitOutcome::kAcquired);
  return monotonic_ns() - start;
}

// From deep enough that the walk is as long as it gets in a real program
// (the configured depth plus the frames of ours it drops).
[[gnu::noinline]] uint64_t time_stacks(int levels) {
  if (levels > 0) {
    uint64_t ns = time_stacks(levels - 1);
    __asm__ volatile("" ::: "memory");  // no tail call: every level is a frame
    return ns;
  }
  uint64_t frames[format::kMaxStackDepth];
  uint64_t start = monotonic_ns();
  for (int i = 0; i < kStacks; ++i) capture_stack(frames, format::kMaxStackDepth, 0);
  return monotonic_ns() - start;
}

// A stack the memo gives back (checked against the stack, then interned),
// from as deep as time_stacks; the first call walks and is not timed.
[[gnu::noinline]] uint64_t time_reused_stacks(int levels) {
  if (levels > 0) {
    uint64_t ns = time_reused_stacks(levels - 1);
    __asm__ volatile("" ::: "memory");
    return ns;
  }
  g_scratch.caller_pc = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
  // One call site for all (the first walks), with no branch around it that
  // the compiler could split into two: the time is read before every call,
  // and the reads' own cost is taken off. The times go to static memory: a
  // register pointing into this frame, moving at every call, would look
  // like a frame pointer to the memo, which would never reuse the walk.
  static uint64_t stamps[kStacks + 1];
  for (int i = 0; i <= kStacks; ++i) {
    stamps[i] = monotonic_ns();
    current_stack_id(g_scratch);
  }
  uint64_t total = monotonic_ns() - stamps[1];
  for (int i = 0; i < kStacks; ++i) stamps[i] = monotonic_ns();
  uint64_t reads = monotonic_ns() - stamps[0];
  uint64_t ns = total > reads ? total - reads : 0;
  return g_scratch.stack_reused ? ns : UINT64_MAX;  // not kept here: counted as walks
}

uint64_t time_holds() {
  uint64_t start = monotonic_ns();
  for (int i = 0; i < kHolds; ++i) {
    format::HoldRecord r{};
    r.header = format::make_header<format::HoldRecord>();
    uint64_t begin = now_ticks();
    r.duration = now_ticks() - begin;
    g_scratch.push(r);
  }
  return monotonic_ns() - start;
}

}  // namespace

void measure_self_cost() {
  if (!g_recording.load(std::memory_order_acquire)) return;
  ThreadState* self = tls_thread;
  g_scratch.ring.init(g_scratch_ring, sizeof(g_scratch_ring));
  g_scratch.table.init(g_scratch_slots, 64, 64);
  g_scratch.hold_interval = settings().hold_sample_every == 0 ? 1 : settings().hold_sample_every;
  g_scratch.hold_countdown = g_scratch.hold_interval;
  g_scratch.stack_memo = &g_scratch_memo;
  // The memo keeps walks only on the calling thread's own stack, known for
  // its real state (the main thread's, at start-up).
  ThreadState* caller = attached_thread();
  g_scratch.stack = caller != nullptr ? caller->stack : StackBounds{};
  tls_thread = &g_scratch;
  uint64_t plain = UINT64_MAX, profiled = UINT64_MAX, wait = UINT64_MAX, stack = UINT64_MAX,
           hold = UINT64_MAX, reused = UINT64_MAX;
  uint32_t depth = g_settings.stack_depth;
  for (int round = 0; round < kRounds; ++round) {
    plain = std::min(plain, time_pairs(false));
    profiled = std::min(profiled, time_pairs(true));
    g_settings.stack_depth = 0;  // the wait alone; its stack is measured apart
    wait = std::min(wait, time_waits());
    g_settings.stack_depth = depth;
    stack = std::min(stack, time_stacks(static_cast<int>(depth) + 24));
    reused = std::min(reused, time_reused_stacks(static_cast<int>(depth) + 24));
    hold = std::min(hold, time_holds());
    g_scratch.ring.reset();
    g_scratch.held_count = 0;
  }
  tls_thread = self;
  g_self_cost.pair_ps = profiled > plain ? per_item_ps(profiled - plain, kPairs) : 0;
  g_self_cost.wait_ps = per_item_ps(wait, kWaits);
  g_self_cost.stack_ps = depth > 1 ? per_item_ps(stack, kStacks) : 0;
  g_self_cost.hold_ps = per_item_ps(hold, kHolds);
  // Never kept (a depth above the memo's): every stack counts as a walk.
  g_self_cost.reused_stack_ps = reused == UINT64_MAX ? g_self_cost.stack_ps : per_item_ps(reused, kStacks);
  g_self_cost.measured = true;
}

}  // namespace contend::preload
