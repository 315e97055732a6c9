// Aggregation rules on hand-built traces with known answers.
#include "aggregate/aggregator.h"
#include "render/render.h"
#include "test_session.h"
#include "trace_builder.h"

#include <gtest/gtest.h>

namespace contend::analyze {
namespace {

using testing::TempDir;
using testing::TraceBuilder;

TEST(Aggregator, LastSnapshotPerTableIncarnationWinsAndIncarnationsAdd) {
  TempDir dir;
  TraceBuilder b;
  b.add(TraceBuilder::thread_start(7, 1000));
  b.add(TraceBuilder::counts(0x1000, 7, 1, 5, 1));    // epoch 1, early snapshot
  b.add(TraceBuilder::counts(0x1000, 7, 1, 12, 2));   // epoch 1, final: replaces
  b.add(TraceBuilder::counts(0x1000, 7, 2, 30, 3));   // epoch 2: adds
  b.add(TraceBuilder::counts(0x1000, 8, 9, 100, 0));  // another thread: adds
  b.add(TraceBuilder::wait(0x1000, 7, 2000, 400));
  b.add(TraceBuilder::wait(0x1000, 7, 3000, 600));
  b.add(TraceBuilder::footer(11000, 2));
  b.write(dir.file("t"));
  Aggregator a;
  a.add_trace(dir.file("t"));
  Report r = a.finish();
  ASSERT_EQ(r.locks.size(), 1u);
  const LockRow& l = r.locks[0];
  EXPECT_EQ(l.counts.acquisitions, 142u);
  EXPECT_EQ(l.counts.contended, 5u);
  EXPECT_EQ(l.waits, 2u);
  EXPECT_EQ(l.wait_total_ns, 1000u);
  EXPECT_EQ(l.wait_min_ns, 400u);
  EXPECT_EQ(l.wait_max_ns, 600u);
  EXPECT_EQ(l.wait_avg_ns(), 500u);
  EXPECT_DOUBLE_EQ(l.share_of_wait, 1.0);
  EXPECT_EQ(r.summary.wall_ns, 10000u);
  EXPECT_TRUE(r.warnings.empty());
}

TEST(Aggregator, RanksByWaitAndKeepsConditionWaitsApart) {
  TempDir dir;
  TraceBuilder b;
  b.add(TraceBuilder::wait(0xA, 1, 2000, 100));
  b.add(TraceBuilder::wait(0xB, 1, 2000, 300));
  b.add(TraceBuilder::wait(0xC, 1, 2000, 5000, format::WaitKind::kCondition));
  b.add(TraceBuilder::wait(0xD, 1, 2000, 200, format::WaitKind::kRwlockRead));
  b.add(TraceBuilder::wait(0xD, 1, 2000, 50, format::WaitKind::kRwlockWrite));
  b.add(TraceBuilder::footer(10000, 1));
  b.write(dir.file("t"));
  Aggregator a;
  a.add_trace(dir.file("t"));
  Report r = a.finish();
  ASSERT_EQ(r.locks.size(), 4u);
  EXPECT_EQ(r.locks[0].address, 0xBu);
  EXPECT_EQ(r.locks[1].address, 0xDu);
  EXPECT_EQ(r.locks[1].kind, format::WaitKind::kRwlockRead);
  EXPECT_EQ(r.locks[2].address, 0xAu);
  EXPECT_EQ(r.locks[3].kind, format::WaitKind::kRwlockWrite);
  EXPECT_EQ(r.summary.wait_ns, 650u);  // the condition wait is not lock wait
  ASSERT_EQ(r.cond_waits.size(), 1u);
  EXPECT_EQ(r.cond_waits[0].wait_total_ns, 5000u);
  EXPECT_NEAR(r.locks[0].share_of_wait, 300.0 / 650.0, 1e-9);
}

TEST(Aggregator, WaitsWithoutCountsInAKilledTraceMakeUpNoRate) {
  // A killed process may leave waits whose counters were never written:
  // its acquisitions are unknown, and the waits alone must not make every
  // one of them contended (a false 100%).
  TempDir dir;
  TraceBuilder b;
  b.add(TraceBuilder::wait(0xA, 1, 2000, 100)).add(TraceBuilder::wait(0xA, 1, 3000, 100));
  b.write(dir.file("t"));
  Aggregator a;
  a.add_trace(dir.file("t"));
  Report r = a.finish();
  ASSERT_EQ(r.locks.size(), 1u);
  EXPECT_EQ(r.locks[0].waits, 2u);
  EXPECT_EQ(r.locks[0].counts.contended, 0u);
  EXPECT_EQ(r.locks[0].counts.acquisitions, 0u);
  EXPECT_EQ(r.summary.incomplete_traces, 1u);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("no footer"), std::string::npos);
}

TEST(Aggregator, WaitsWhoseCountsWereDroppedStillCountAsContended) {
  // A finished trace whose count records were lost (a full ring): each
  // completed wait is still a contended acquisition.
  TempDir dir;
  TraceBuilder b;
  b.add(TraceBuilder::wait(0xA, 1, 2000, 100)).add(TraceBuilder::wait(0xA, 1, 3000, 100));
  b.add(TraceBuilder::footer(10000, 1));
  b.write(dir.file("t"));
  Aggregator a;
  a.add_trace(dir.file("t"));
  Report r = a.finish();
  ASSERT_EQ(r.locks.size(), 1u);
  EXPECT_EQ(r.locks[0].counts.contended, 2u);
  EXPECT_EQ(r.locks[0].counts.acquisitions, 2u);
}

TEST(Aggregator, DropsAreReportedLoudly) {
  TempDir dir;
  TraceBuilder b;
  b.add(TraceBuilder::footer(10000, 1, 17));
  b.write(dir.file("t"));
  Aggregator a;
  a.add_trace(dir.file("t"));
  Report r = a.finish();
  EXPECT_EQ(r.summary.dropped_events, 17u);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("17 events were dropped"), std::string::npos);
}

TEST(Aggregator, TscTicksAreConvertedWithTheLongestBaseline) {
  TempDir dir;
  TraceBuilder b;
  b.header().clock_source = static_cast<uint8_t>(format::ClockSource::kTsc);
  b.header().start_ticks = 1000;
  b.header().start_monotonic_ns = 0;
  b.header().calib_ticks = 3;  // a rough start-up estimate: 3 ticks per 1 ns
  b.header().calib_ns = 1;
  format::ClockSyncRecord sync{};
  sync.header = format::make_header<format::ClockSyncRecord>(format::RecordKind::kClockSync);
  sync.ticks = 1000 + 2'000'000'000ull;  // the real rate: 2 ticks per ns
  sync.monotonic_ns = 1'000'000'000ull;
  b.add(TraceBuilder::wait(0xA, 1, 5000, 2'000'000));
  b.add(sync);
  b.write(dir.file("t"));
  Aggregator a;
  a.add_trace(dir.file("t"));
  Report r = a.finish();
  ASSERT_EQ(r.locks.size(), 1u);
  EXPECT_EQ(r.locks[0].wait_total_ns, 1'000'000u);
  EXPECT_EQ(r.summary.wall_ns, 1'000'000'000u);
}

TEST(Aggregator, SiteRowsComeFromTheSelectedLocksWithSharesOfAllWait) {
  TempDir dir;
  TraceBuilder b;
  b.add_bytes(TraceBuilder::lock_name(0xA, "pool"));
  b.add_bytes(TraceBuilder::lock_name(0xB, "cache"));
  b.add_bytes(TraceBuilder::stack(1, {0x1}));
  b.add_bytes(TraceBuilder::stack(2, {0x2}));
  auto pool = TraceBuilder::wait(0xA, 1, 2000, 300);
  pool.stack_id = 1;
  auto cache = TraceBuilder::wait(0xB, 1, 2000, 100);
  cache.stack_id = 2;
  b.add(pool).add(cache).add(TraceBuilder::footer(10000, 1));
  b.write(dir.file("t"));
  AggregateOptions options;
  options.symbolize = false;
  options.grouping = Grouping::kSite;
  Aggregator a(options);
  a.add_trace(dir.file("t"));
  LockSelection only_cache;
  only_cache.name_pattern = "cache";
  Report r = a.finish(only_cache);
  EXPECT_EQ(r.grouping, Grouping::kSite);
  ASSERT_EQ(r.locks.size(), 1u);
  ASSERT_EQ(r.sites.size(), 1u);
  EXPECT_EQ(r.sites[0].key, "?+0x2");
  EXPECT_EQ(r.sites[0].lock, "cache");
  EXPECT_DOUBLE_EQ(r.sites[0].share, 0.25);  // of all lock wait, the pool's included
}

TEST(Aggregator, FoldedStacksSortAsTheirJoinedText) {
  // "?+0x1" is a prefix of "?+0x12": joined, ';' (0x3b) follows the first
  // and '2' (0x32) the second, so the longer frame's line comes first.
  TempDir dir;
  TraceBuilder b;
  b.add_bytes(TraceBuilder::stack(1, {0x1, 0x5}));
  b.add_bytes(TraceBuilder::stack(2, {0x12, 0x5}));
  b.add_bytes(TraceBuilder::stack(3, {0x5}));
  for (uint64_t id : {1, 2, 3}) {
    auto w = TraceBuilder::wait(0xA, 1, 2000, 100 * id);
    w.stack_id = id;
    b.add(w);
  }
  b.add(TraceBuilder::footer(10000, 1));
  b.write(dir.file("t"));
  AggregateOptions options;
  options.symbolize = false;
  options.folded = FoldedWeight::kWait;
  Aggregator a(options);
  a.add_trace(dir.file("t"));
  EXPECT_EQ(render_folded(a.finish(), RenderOptions{}),
            "?+0x5;?+0x12;[mutex 0xa] 200\n"
            "?+0x5;?+0x1;[mutex 0xa] 100\n"
            "?+0x5;[mutex 0xa] 300\n");
}

}  // namespace
}  // namespace contend::analyze
