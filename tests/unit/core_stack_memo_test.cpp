// The stack memo (core/record/stack_memo.h): a wait's walk is reused only
// while the stack still holds the same calls, and never across a change a
// walk would have seen.
#include "core/record/stack_capture.h"
#include "core/record/stack_memo.h"
#include "test_session.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <iterator>
#include <vector>

namespace contend::preload {
namespace {

using testing::as_recorded_thread;

// Two callers with the same frame, called from the same place: a wait in
// either has its walking frame at the same address, under the same call
// site, and only the return address into one or the other differs.
__attribute__((noinline)) uint64_t waits_in_first(ThreadState& t) {
  volatile char frame[48];
  frame[0] = 1;
  uint64_t id = current_stack_id(t);
  __asm__ volatile("" : : "r"(frame) : "memory");
  return id;
}

__attribute__((noinline)) uint64_t waits_in_second(ThreadState& t) {
  volatile char frame[48];
  frame[0] = 3;
  uint64_t id = current_stack_id(t);
  __asm__ volatile("" : : "r"(frame) : "memory");
  return id;
}

using Waiter = uint64_t (*)(ThreadState&);

__attribute__((noinline)) uint64_t wait_from(ThreadState& t, Waiter waiter) {
  uint64_t id = waiter(t);
  __asm__ volatile("" ::: "memory");  // not a tail call: this frame stays
  return id;
}

// Waits from one call site (so that only the callers can differ): wait i
// from the second caller when `alternate` and i is odd. The choice is read
// from volatile memory, so that the compiler cannot split the loop into
// call sites of its own.
// (No allocation: a signal handler calls it.)
void wait_into(ThreadState& t, int count, bool alternate, uint64_t* ids) {
  static Waiter const callers[2] = {waits_in_first, waits_in_second};
  for (int i = 0; i < count; ++i) {
    volatile int which = alternate ? i % 2 : 0;
    ids[i] = wait_from(t, callers[which]);
  }
}

// Waits from one call site, wait i through callers[which[i]].
std::vector<uint64_t> waits_through(ThreadState& t, const std::vector<int>& which) {
  static Waiter const callers[2] = {waits_in_first, waits_in_second};
  std::vector<uint64_t> ids(which.size());
  for (size_t i = 0; i < which.size(); ++i) {
    volatile int w = which[i];
    ids[i] = wait_from(t, callers[w]);
  }
  return ids;
}

std::vector<uint64_t> waits(ThreadState& t, int count, bool alternate) {
  std::vector<uint64_t> ids(static_cast<size_t>(count));
  wait_into(t, count, alternate, ids.data());
  return ids;
}

class StackMemoTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::start_session(testing::test_config(dir.file("memo.trace"))); }
  void TearDown() override { session::stop(format::FooterReason::kExit); }

  testing::TempDir dir;
};

TEST_F(StackMemoTest, SameCallsReuseTheWalk) {
  as_recorded_thread([](ThreadState& t) {
    t.caller_pc = 0x1234;
    ASSERT_NE(t.stack_memo, nullptr);
    // Relative: the thread may have waited in earlier tests of this binary.
    uint64_t kept = t.stack_memo->kept();
    uint64_t reused = t.stack_memo->reused();
    std::vector<uint64_t> ids = waits(t, 10, false);
    for (size_t i = 1; i < ids.size(); ++i) EXPECT_EQ(ids[i], ids[0]) << "wait " << i;
    EXPECT_EQ(t.stack_memo->kept() - kept, 1u);
    EXPECT_EQ(t.stack_memo->reused() - reused, 9u);
  });
}

TEST_F(StackMemoTest, ADifferentCallerAtTheSameDepthIsWalked) {
  as_recorded_thread([](ThreadState& t) {
    t.caller_pc = 0x1234;
    // Alternating callers: each wait's key is the one the first caller's
    // walk was kept under. The second caller's waits do not match it and
    // are walked (and not kept: the first caller's walk stays, and its
    // later waits reuse it).
    uint64_t kept = t.stack_memo->kept();
    uint64_t reused = t.stack_memo->reused();
    std::vector<uint64_t> ids = waits(t, 20, true);
    ASSERT_NE(ids[0], ids[1]);
    for (size_t i = 2; i < ids.size(); ++i) EXPECT_EQ(ids[i], ids[i % 2]) << "wait " << i;
    EXPECT_EQ(t.stack_memo->kept(), kept + 1);
    EXPECT_EQ(t.stack_memo->reused(), reused + 9);
  });
}

// One wait from `pc`, always through this frame (from any caller, the same
// registers and return addresses from here on).
__attribute__((noinline)) uint64_t wait_once(ThreadState& t, uintptr_t pc) {
  t.caller_pc = pc;
  uint64_t id = wait_from(t, waits_in_first);
  __asm__ volatile("" ::: "memory");
  return id;
}

// A call site other than 0x1000 whose waits from `anchor` fall in the same
// set of the memo. Not inlined: the anchor, a stack address, left in a
// register of the caller would look like a frame pointer to the memo, and
// its later values would miss.
__attribute__((noinline)) uintptr_t same_set_as_0x1000(uintptr_t anchor) {
  uintptr_t other = 0x1001;
  while (StackMemo::set_index(anchor, other) != StackMemo::set_index(anchor, 0x1000)) ++other;
  return other;
}

TEST_F(StackMemoTest, TwoKeysOfOneSetAreBothKept) {
  as_recorded_thread([](ThreadState& t) {
    static StackMemo fresh{};
    StackMemo* memo = t.stack_memo;
    t.stack_memo = &fresh;
    // Two call sites whose waits (from one frame) fall in one set of the
    // memo: in turn, each reuses its own walk after its first.
    wait_once(t, 0xfff);  // where the waits' frame is
    static uintptr_t pcs[20];
    uintptr_t other = same_set_as_0x1000(fresh.last_anchor());
    for (int i = 0; i < 20; ++i) pcs[i] = i % 2 == 0 ? 0x1000 : other;
    uint64_t kept = fresh.kept();
    static uint64_t ids[20];
    for (int i = 0; i < 20; ++i) ids[i] = wait_once(t, pcs[i]);
    t.stack_memo = memo;
    EXPECT_EQ(fresh.kept(), kept + 2);
    EXPECT_EQ(fresh.reused(), 18u);
    for (int i = 2; i < 20; ++i) EXPECT_EQ(ids[i], ids[i % 2]) << "wait " << i;
  });
}

TEST_F(StackMemoTest, AnotherThreadsEntriesAreNotReused) {
  as_recorded_thread([](ThreadState& t) {
    t.caller_pc = 0x1234;
    uint32_t tid = t.tid;
    std::vector<uint64_t> ids[2];
    uint64_t kept[2];
    uint64_t reused[2];
    for (uint32_t round = 0; round < 2; ++round) {
      t.tid = tid + round;  // the second: as a later thread given this region
      ids[round] = waits(t, 3, false);
      kept[round] = t.stack_memo->kept();
      reused[round] = t.stack_memo->reused();
    }
    t.tid = tid;
    EXPECT_EQ(ids[1], ids[0]);
    EXPECT_EQ(kept[1], kept[0] + 1) << "the earlier thread's walk was reused";
    EXPECT_EQ(reused[1], reused[0] + 2);
  });
}

TEST_F(StackMemoTest, AChainThatStaysChangedIsLearntAfter64Misses) {
  as_recorded_thread([](ThreadState& t) {
    t.caller_pc = 0x1234;
    // The first caller once (kept), then the second 200 times: its waits
    // miss the kept walk 64 times in a row, then its own walk is kept.
    std::vector<int> which(201, 1);
    which[0] = 0;
    uint64_t kept = t.stack_memo->kept();
    uint64_t reused = t.stack_memo->reused();
    std::vector<uint64_t> ids = waits_through(t, which);
    ASSERT_NE(ids[0], ids[1]);
    for (size_t i = 2; i < ids.size(); ++i) EXPECT_EQ(ids[i], ids[1]) << "wait " << i;
    EXPECT_EQ(t.stack_memo->kept(), kept + 2);
    EXPECT_EQ(t.stack_memo->reused(), reused + 200 - 64);
  });
}

// A wait from `depth` frames further down: a different anchor for each.
__attribute__((noinline)) uint64_t wait_deeper(ThreadState& t, int depth) {
  if (depth == 0) return current_stack_id(t);
  uint64_t id = wait_deeper(t, depth - 1);
  __asm__ volatile("" ::: "memory");  // not a tail call: every level is a frame
  return id;
}

TEST_F(StackMemoTest, LearningIsBoundedWhenNothingIsReused) {
  as_recorded_thread([](ThreadState& t) {
    t.caller_pc = 0x1234;
    // A memo of its own: the thread's has the earlier tests' reuses, which
    // pay for learning walks.
    static StackMemo fresh{};
    StackMemo* memo = t.stack_memo;
    t.stack_memo = &fresh;
    // 100 waits, each from a depth of its own: no key comes back, so after
    // the free learning walks none is learnt (each would cost tens of us).
    for (int depth = 0; depth < 100; ++depth) wait_deeper(t, depth);
    t.stack_memo = memo;
    EXPECT_EQ(fresh.reused(), 0u);
    EXPECT_LE(fresh.kept(), StackMemo::kFreeLearns);
    EXPECT_GE(fresh.kept(), 1u);
  });
}

ThreadState* g_in_handler = nullptr;
uint64_t g_handler_ids[3];
uint64_t g_handler_kept = 0;

void handler(int) {
  g_handler_kept = g_in_handler->stack_memo->kept();
  wait_into(*g_in_handler, 3, false, g_handler_ids);
  g_handler_kept = g_in_handler->stack_memo->kept() - g_handler_kept;
}

TEST_F(StackMemoTest, WalksThroughASignalFrameAreNotKept) {
  as_recorded_thread([](ThreadState& t) {
    t.caller_pc = 0x1234;
    g_in_handler = &t;
    std::fill(std::begin(g_handler_ids), std::end(g_handler_ids), 0);
    struct sigaction sa = {};
    struct sigaction old = {};
    sa.sa_handler = handler;
    ASSERT_EQ(sigaction(SIGUSR1, &sa, &old), 0);
    raise(SIGUSR1);
    sigaction(SIGUSR1, &old, nullptr);
    ASSERT_NE(g_handler_ids[0], 0u);
    EXPECT_EQ(g_handler_kept, 0u) << "a walk through the signal frame was kept";
    EXPECT_EQ(g_handler_ids[0], g_handler_ids[1]);
    EXPECT_EQ(g_handler_ids[1], g_handler_ids[2]);
  });
}

TEST_F(StackMemoTest, NothingIsKeptOffTheThreadsOwnStack) {
  as_recorded_thread([](ThreadState& t) {
    t.caller_pc = 0x5678;
    ASSERT_NE(t.stack.hi, 0u) << "the main thread's stack is known";
    StackBounds own = t.stack;
    uint64_t kept = t.stack_memo->kept();
    // Not known (a thread we did not start), and a stack elsewhere (as a
    // fiber's would be to this one): walked every time, nothing kept.
    for (StackBounds other : {StackBounds{}, StackBounds{own.hi, own.hi + (1u << 20)}}) {
      t.stack = other;
      std::vector<uint64_t> ids = waits(t, 3, false);
      t.stack = own;
      EXPECT_EQ(ids[0], ids[2]);
      EXPECT_EQ(t.stack_memo->kept(), kept);
    }
  });
}

TEST_F(StackMemoTest, NothingIsKeptWhenTheChainPassesTheStacksTop) {
  as_recorded_thread([](ThreadState& t) {
    t.caller_pc = 0x9abc;
    static StackMemo fresh{};
    StackMemo* memo = t.stack_memo;
    t.stack_memo = &fresh;
    StackBounds own = t.stack;
    // A top just above this frame: the callers' return addresses are past
    // it, where a fiber's stack may have been unmapped.
    auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    t.stack = StackBounds{own.lo, here};
    std::vector<uint64_t> cut = waits(t, 3, false);
    uint64_t kept_cut = fresh.kept();
    t.stack = own;
    // The same waits on the whole stack: kept once the key is tried again.
    std::vector<uint64_t> whole = waits(t, static_cast<int>(StackMemo::kRetryAfter) + 4, false);
    t.stack_memo = memo;
    EXPECT_EQ(cut[0], cut[2]);
    EXPECT_EQ(whole.front(), whole.back());
    EXPECT_EQ(kept_cut, 0u);
    EXPECT_EQ(fresh.kept(), 1u);
  });
}

TEST_F(StackMemoTest, LearningResumesAfterWaitsThatWereNotReused) {
  as_recorded_thread([](ThreadState& t) {
    t.caller_pc = 0x1234;
    static StackMemo fresh{};
    StackMemo* memo = t.stack_memo;
    t.stack_memo = &fresh;
    // The free learning walks spent on keys that never come back; then one
    // key, waited for often: it is learnt once enough waits went unreused.
    for (int depth = 0; depth < static_cast<int>(StackMemo::kFreeLearns); ++depth) wait_deeper(t, depth);
    uint64_t kept = fresh.kept();
    for (uint64_t i = 0; i < StackMemo::kWaitsPerLearn + 100; ++i) wait_deeper(t, 20);
    t.stack_memo = memo;
    EXPECT_EQ(fresh.kept(), kept + 1);
    EXPECT_GE(fresh.reused(), 90u);
  });
}

}  // namespace
}  // namespace contend::preload
