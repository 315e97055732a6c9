// Figures a report derives rather than counts, on hand-built traces with
// known answers: hold totals bounded by what is possible, parallel
// efficiency over the threads that did work, event waits kept apart from
// lock contention, and a reader-writer lock's blame by waiting side.
#include "aggregate/aggregator.h"
#include "test_session.h"
#include "trace_builder.h"

#include <gtest/gtest.h>

namespace contend::analyze {
namespace {

using format::WaitKind;
using testing::TempDir;
using testing::TraceBuilder;

constexpr uint64_t kMs = 1'000'000;  // ticks are nanoseconds in built traces
constexpr uint64_t kStart = 1000;    // the builder's start ticks

Report report_of(TraceBuilder& b, const TempDir& dir) {
  b.write(dir.file("t"));
  AggregateOptions options;
  options.symbolize = false;
  Aggregator a(options);
  a.add_trace(dir.file("t"));
  return a.finish();
}

const LockRow* find(const std::vector<LockRow>& rows, uint64_t address, WaitKind kind) {
  for (const LockRow& l : rows)
    if (l.address == address && l.kind == kind) return &l;
  return nullptr;
}

format::ThreadEndRecord thread_end(uint32_t tid, uint64_t time, uint64_t cpu_ns) {
  format::ThreadEndRecord r = TraceBuilder::thread_end(tid, time, "t");
  r.cpu_ns = cpu_ns;
  return r;
}

TEST(HoldEstimate, AMutexIsNeverHeldLongerThanTheRun) {
  // 200 ms of run; one thread samples one acquisition in 16 across all its
  // locks, and two of its samples of this lock are holders preempted for
  // 30 ms. Sum x interval said 977 ms, 5x the run; the lock cannot have
  // been held longer than the run: the estimate is the run's length, marked
  // bounded, and the two long holds are counted as such.
  TempDir dir;
  TraceBuilder b;
  b.add(TraceBuilder::thread_start(7, kStart));
  for (int i = 0; i < 100; ++i) b.add(TraceBuilder::hold(0xA, 7, 0x10, 10'000, 16));
  for (int i = 0; i < 2; ++i) b.add(TraceBuilder::hold(0xA, 7, 0x10, 30 * kMs, 16));
  b.add(TraceBuilder::counts(0xA, 7, 1, 2000, 0));
  b.add(TraceBuilder::footer(kStart + 200 * kMs, 1));
  Report r = report_of(b, dir);
  const LockRow* l = find(r.locks, 0xA, WaitKind::kMutex);
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->hold.total_ns, 200 * kMs);
  EXPECT_TRUE(l->hold.bounded);
  EXPECT_EQ(l->hold.estimated_holds, 102u * 16);
  EXPECT_EQ(l->hold.long_holds, 2u);
  EXPECT_EQ(l->hold.long_threshold_ns, 1 * kMs);
  ASSERT_EQ(l->hold_sites.size(), 1u);
  EXPECT_EQ(l->hold_sites[0].ns, 200 * kMs);
}

TEST(HoldEstimate, ASampleStandsForOneOfTheLocksAcquisitionsNotOfItsThreads) {
  // The thread takes this lock once per 16 acquisitions of all its locks,
  // and every sample falls on it: each hold of 1 ms weighed by 16 said the
  // lock was held 16 x longer than the 10 holds it had.
  TempDir dir;
  TraceBuilder b;
  for (int i = 0; i < 10; ++i) b.add(TraceBuilder::hold(0xA, 7, 0x10, 1 * kMs, 16));
  b.add(TraceBuilder::counts(0xA, 7, 1, 10, 0));
  b.add(TraceBuilder::footer(kStart + 1000 * kMs, 1));
  Report r = report_of(b, dir);
  const LockRow* l = find(r.locks, 0xA, WaitKind::kMutex);
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->hold.total_ns, 10 * kMs);
  EXPECT_FALSE(l->hold.bounded);
}

TEST(HoldEstimate, AReadSideMayBeHeldByEveryReaderAtOnce) {
  TempDir dir;
  TraceBuilder b;
  for (uint32_t tid : {7u, 8u}) {
    for (int i = 0; i < 4; ++i) b.add(TraceBuilder::hold(0xA, tid, 0x10, 80 * kMs, 1, WaitKind::kRwlockRead));
    b.add(TraceBuilder::counts(0xA, tid, 1, 4, 0, WaitKind::kRwlockRead));
  }
  b.add(TraceBuilder::footer(kStart + 500 * kMs, 2));
  Report r = report_of(b, dir);
  const LockRow* l = find(r.locks, 0xA, WaitKind::kRwlockRead);
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->hold.total_ns, 640 * kMs);  // within 2 readers x 500 ms
  EXPECT_FALSE(l->hold.bounded);
}

TEST(ParallelEfficiency, CountsTheThreadsThatDidWork) {
  // A main thread that only waits for one worker: the worker's 90% is the
  // efficiency, not 45%.
  TempDir dir;
  TraceBuilder b;
  b.add(TraceBuilder::thread_start(1, kStart)).add(TraceBuilder::thread_start(2, kStart));
  b.add(thread_end(2, kStart + 100 * kMs, 90 * kMs));
  b.add(thread_end(1, kStart + 100 * kMs, 100'000));
  b.add(TraceBuilder::footer(kStart + 100 * kMs, 2));
  Report r = report_of(b, dir);
  EXPECT_TRUE(r.summary.efficiency_judged);
  EXPECT_EQ(r.summary.efficiency_threads, 1u);
  EXPECT_DOUBLE_EQ(r.summary.parallel_efficiency, 0.9);
}

TEST(ParallelEfficiency, IsNeverAbove100PercentAndAShortRunIsNotJudged) {
  // /bin/true: 680 us recorded, 3 ms of CPU (loading counts too).
  TempDir dir;
  TraceBuilder b;
  b.add(TraceBuilder::thread_start(1, kStart));
  b.add(thread_end(1, kStart + 680'000, 3 * kMs));
  b.add(TraceBuilder::footer(kStart + 680'000, 1));
  Report r = report_of(b, dir);
  EXPECT_FALSE(r.summary.efficiency_judged);
  EXPECT_EQ(r.summary.parallel_efficiency, 0.0);

  TempDir dir2;
  TraceBuilder longer;
  longer.add(TraceBuilder::thread_start(1, kStart));
  longer.add(thread_end(1, kStart + 100 * kMs, 130 * kMs));
  longer.add(TraceBuilder::footer(kStart + 100 * kMs, 1));
  Report r2 = report_of(longer, dir2);
  EXPECT_TRUE(r2.summary.efficiency_judged);
  EXPECT_DOUBLE_EQ(r2.summary.parallel_efficiency, 1.0);
}

TEST(EventWaits, AJoinSemaphoreIsAnEventNotLockContention) {
  // 0xE: thread 1 waits once, thread 2 posts (CPython's join). 0xF: a
  // semaphore used as a lock, threads 1 and 2 each waiting for the other.
  TempDir dir;
  TraceBuilder b;
  b.add(TraceBuilder::thread_start(1, kStart)).add(TraceBuilder::thread_start(2, kStart));
  b.add_bytes(TraceBuilder::stack(5, {0x500}));
  b.add(TraceBuilder::wait(0xE, 1, kStart + kMs, 200 * kMs, WaitKind::kSemaphore));
  auto post = TraceBuilder::release(0xE, 2, kStart + 201 * kMs, 200 * kMs, 0);
  post.stack_id = 5;
  b.add(post);
  b.add(TraceBuilder::counts(0xE, 1, 1, 2, 1, WaitKind::kSemaphore));
  for (uint32_t tid : {1u, 2u}) {
    uint32_t other = tid == 1 ? 2 : 1;
    b.add(TraceBuilder::wait(0xF, tid, kStart + 300 * kMs, 5 * kMs, WaitKind::kSemaphore));
    auto r = TraceBuilder::release(0xF, other, kStart + 305 * kMs, 5 * kMs, 0);
    r.stack_id = 5;
    b.add(r);
    b.add(TraceBuilder::counts(0xF, tid, 1, 10, 1, WaitKind::kSemaphore));
  }
  b.add(thread_end(1, kStart + 400 * kMs, 0)).add(thread_end(2, kStart + 400 * kMs, 0));
  b.add(TraceBuilder::footer(kStart + 400 * kMs, 2));
  Report r = report_of(b, dir);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].address, 0xEu);
  EXPECT_EQ(find(r.locks, 0xE, WaitKind::kSemaphore), nullptr);
  EXPECT_NE(find(r.locks, 0xF, WaitKind::kSemaphore), nullptr);
  EXPECT_EQ(r.summary.wait_ns, 10 * kMs);
  EXPECT_EQ(r.summary.counts.contended, 2u);
  for (const ThreadRow& t : r.threads) EXPECT_EQ(t.lock_wait_ns, 5 * kMs) << "thread " << t.tid;
}

TEST(RwlockBlame, ReadersWaitForWritersAndWritersForReaders) {
  // A reader (tid 2, acquiring at 0xA1) waited 20 ms while a writer (tid 1,
  // acquiring at 0xB1) held the lock; a writer (tid 3, at 0xB2) waited 10 ms
  // while a reader (tid 4, at 0xA2) held it. The read row is held up by the
  // writer, the write row by the reader.
  TempDir dir;
  TraceBuilder b;
  b.add_bytes(TraceBuilder::stack(1, {0xA1, 0x900}));
  b.add_bytes(TraceBuilder::stack(2, {0xB2, 0x900}));
  auto read_wait = TraceBuilder::wait(0xC, 2, kStart + kMs, 20 * kMs, WaitKind::kRwlockRead);
  read_wait.stack_id = 1;
  auto write_wait = TraceBuilder::wait(0xC, 3, kStart + 30 * kMs, 10 * kMs, WaitKind::kRwlockWrite);
  write_wait.stack_id = 2;
  b.add(read_wait).add(write_wait);
  b.add(TraceBuilder::hold(0xC, 1, 0xB1, 20 * kMs, 1, WaitKind::kRwlockWrite));
  b.add(TraceBuilder::hold(0xC, 4, 0xA2, 10 * kMs, 1, WaitKind::kRwlockRead));
  b.add(TraceBuilder::release(0xC, 1, kStart + 21 * kMs, 20 * kMs, 0xB1));
  b.add(TraceBuilder::release(0xC, 4, kStart + 40 * kMs, 10 * kMs, 0xA2));
  b.add(TraceBuilder::footer(kStart + 100 * kMs, 4));
  Report r = report_of(b, dir);
  const LockRow* read = find(r.locks, 0xC, WaitKind::kRwlockRead);
  const LockRow* write = find(r.locks, 0xC, WaitKind::kRwlockWrite);
  ASSERT_NE(read, nullptr);
  ASSERT_NE(write, nullptr);
  ASSERT_EQ(read->holder_sites.size(), 1u);
  EXPECT_EQ(read->holder_sites[0].label, "?+0xb1");
  EXPECT_EQ(read->holder_sites[0].ns, 20 * kMs);
  ASSERT_EQ(write->holder_sites.size(), 1u);
  EXPECT_EQ(write->holder_sites[0].label, "?+0xa2");
  EXPECT_EQ(write->holder_sites[0].ns, 10 * kMs);
}

}  // namespace
}  // namespace contend::analyze
