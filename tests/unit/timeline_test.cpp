// The time line: buckets in the decoded model, intervals and phases in
// aggregation, --from/--to, and the single events of -f perfetto, on
// hand-built traces with known answers (1 tick = 1 ns; t = 0 at tick 1000).
#include "aggregate/timeline.h"
#include "aggregate/aggregator.h"
#include "aggregate/phases.h"
#include "model/event_log.h"
#include "model/time_buckets.h"
#include "render/render.h"
#include "test_session.h"
#include "trace_builder.h"

#include <gtest/gtest.h>

namespace contend::analyze {
namespace {

using testing::TempDir;
using testing::TraceBuilder;

constexpr uint64_t kMs = 1'000'000;
constexpr uint64_t kT0 = 1000;  // the trace's start, in ticks

format::ClockSyncRecord sync_at(uint64_t ticks) {
  format::ClockSyncRecord s{};
  s.header = format::make_header<format::ClockSyncRecord>(format::RecordKind::kClockSync);
  s.ticks = ticks;
  s.monotonic_ns = ticks;
  return s;
}

TEST(TimeBuckets, AWaitIsSpreadOverTheBucketsItOverlapsAndWideningKeepsTheSums) {
  TimeBuckets b;
  b.start(0, 10);
  b.add_wait(5, 20, LockKey{0xA, 0, 1});  // 5..25: 5 + 10 + 5
  ASSERT_EQ(b.buckets().size(), 3u);
  EXPECT_EQ(b.buckets()[0].wait_ticks, 5u);
  EXPECT_EQ(b.buckets()[1].wait_ticks, 10u);
  EXPECT_EQ(b.buckets()[2].wait_ticks, 5u);
  EXPECT_EQ(b.buckets()[2].waits, 1u);  // counted where it ended
  b.add_counts(15, 7, 2);
  // Past the last bucket: the width doubles until it fits.
  b.add_wait(TimeBuckets::kBuckets * 10 * 3, 4, LockKey{0xB, 0, 1});
  EXPECT_EQ(b.width(), 40u);
  uint64_t wait = 0, acquisitions = 0, contended = 0;
  for (const TimeBuckets::Bucket& k : b.buckets()) {
    wait += k.wait_ticks;
    acquisitions += k.acquisitions;
    contended += k.contended;
  }
  EXPECT_EQ(wait, 24u);
  EXPECT_EQ(acquisitions, 7u);
  EXPECT_EQ(contended, 2u);
  EXPECT_EQ(b.buckets()[0].wait_ticks, 20u);
  EXPECT_EQ(b.buckets()[0].top[0].key, (LockKey{0xA, 0, 1}));
  EXPECT_EQ(b.buckets()[0].top[0].ticks, 20u);
}

TEST(TimeBuckets, TheMostWaitedLockOfABucketIsKeptAmongManyLesserOnes) {
  TimeBuckets b;
  b.start(0, 1000);
  for (uint64_t lock = 1; lock <= 50; ++lock) b.add_wait(0, 1, LockKey{lock, 0, 1});
  b.add_wait(0, 100, LockKey{0xBEEF, 0, 1});
  for (uint64_t lock = 51; lock <= 100; ++lock) b.add_wait(0, 1, LockKey{lock, 0, 1});
  const auto& top = b.buckets()[0].top;
  auto best = std::max_element(top.begin(), top.end(), [](auto& x, auto& y) { return x.ticks < y.ticks; });
  EXPECT_EQ(best->key.address, 0xBEEFu);
  EXPECT_GE(best->ticks, 100u);
}

TEST(TimeBuckets, AbsurdTimesOfADamagedTraceEndInTheLastBucket) {
  TimeBuckets b;
  b.start(UINT64_MAX - 5000, 1000);
  b.add_wait(UINT64_MAX - 100, UINT64_MAX, LockKey{0xA, 0, 1});  // its end would wrap
  b.add_wait(0, UINT64_MAX, LockKey{0xB, 0, 1});
  b.add_counts(UINT64_MAX, 3, 1);
  EXPECT_LE(b.buckets().size(), TimeBuckets::kBuckets);
  TimeBuckets c;
  c.start(1000, 1);
  c.add_wait(1000, UINT64_MAX - 1000, LockKey{0xA, 0, 1});
  c.add_wait(UINT64_MAX - 10, 5, LockKey{0xA, 0, 1});
  EXPECT_EQ(c.width(), TimeBuckets::kMaxWidth);
  EXPECT_EQ(c.buckets().size(), TimeBuckets::kBuckets);
  EXPECT_EQ(c.buckets().back().waits, 2u);
  EXPECT_EQ(round_interval(UINT64_MAX), UINT64_MAX);
  EXPECT_EQ(round_interval(3), 5u);
  EXPECT_EQ(round_interval(17'500'000), 20'000'000u);
}

TEST(EventLog, PastItsCapacityItKeepsTheLongestAndCountsTheRest) {
  EventLog log;
  log.set_capacity(3);
  for (uint64_t d : {5, 1, 9, 3, 7, 2}) {
    TimedEvent e;
    e.start = 100 - d;
    e.duration = d;
    log.add(e);
  }
  std::vector<TimedEvent> kept = log.take_sorted();
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[0].duration, 9u);  // by start time
  EXPECT_EQ(kept[1].duration, 7u);
  EXPECT_EQ(kept[2].duration, 5u);
  EXPECT_EQ(log.omitted(), 3u);
  EXPECT_EQ(log.omitted_max(), 3u);
}

// A run in three stages: main alone for 100 ms, then 2 workers until
// 400 ms, then 4 workers until 700 ms, with a burst of waiting at 550 ms.
void write_stages(const std::string& path) {
  TraceBuilder b;
  b.add_bytes(TraceBuilder::lock_name(0xB, "stage_b_lock"));
  b.add_bytes(TraceBuilder::lock_name(0xC, "stage_c_lock"));
  b.add(TraceBuilder::thread_start(1, kT0));
  for (uint32_t tid : {2, 3}) {
    b.add(TraceBuilder::thread_start(tid, kT0 + 100 * kMs));
    b.add(TraceBuilder::thread_end(tid, kT0 + 400 * kMs, "worker"));
  }
  for (uint32_t tid : {4, 5, 6, 7}) b.add(TraceBuilder::thread_start(tid, kT0 + 400 * kMs));
  for (uint64_t ms = 100; ms < 400; ms += 10) b.add(TraceBuilder::wait(0xB, 2, kT0 + ms * kMs, kMs));
  // Counts snapshots are placed at the clock sync that follows them.
  b.add(TraceBuilder::counts(0xB, 2, 1, 100, 10)).add(sync_at(kT0 + 200 * kMs));
  b.add(TraceBuilder::counts(0xB, 2, 1, 300, 30)).add(sync_at(kT0 + 300 * kMs));
  for (uint64_t ms = 400; ms < 700; ms += 10) b.add(TraceBuilder::wait(0xC, 4, kT0 + ms * kMs, kMs));
  for (uint32_t tid : {5, 6, 7}) b.add(TraceBuilder::wait(0xC, tid, kT0 + 550 * kMs, 10 * kMs));
  for (uint32_t tid : {4, 5, 6, 7}) b.add(TraceBuilder::thread_end(tid, kT0 + 700 * kMs, "worker"));
  b.add(TraceBuilder::footer(kT0 + 700 * kMs, 7));
  b.write(path);
}

Report timeline_report(const std::string& path, AggregateOptions o = {}) {
  o.timeline = true;
  Aggregator a(o);
  a.add_trace(path);
  return a.finish();
}

TEST(Timeline, IntervalsSumTheWaitAndCountsAndNameTheTopLock) {
  TempDir dir;
  write_stages(dir.file("t"));
  Report r = timeline_report(dir.file("t"));
  const Timeline& t = r.timeline;
  EXPECT_EQ(t.interval_ns, 20 * kMs);  // about 40 over 700 ms, rounded
  ASSERT_EQ(t.intervals.size(), 35u);
  uint64_t wait = 0, acquisitions = 0, contended = 0;
  for (const IntervalRow& i : t.intervals) {
    wait += i.wait_ns;
    acquisitions += i.acquisitions;
    contended += i.contended;
  }
  EXPECT_EQ(wait, r.summary.wait_ns);
  EXPECT_EQ(wait, (30 + 30 + 30) * kMs);
  EXPECT_EQ(acquisitions, 300u);
  EXPECT_EQ(contended, 30u);
  const IntervalRow& at_200 = t.intervals[10];
  EXPECT_EQ(at_200.start_ns, 200 * kMs);
  EXPECT_EQ(at_200.acquisitions, 100u);
  EXPECT_EQ(at_200.wait_ns, 2 * kMs);
  EXPECT_EQ(at_200.top_lock, "stage_b_lock");
  EXPECT_DOUBLE_EQ(at_200.threads, 3.0);
  EXPECT_EQ(t.intervals[2].top_lock, "");  // main alone: no wait
  EXPECT_DOUBLE_EQ(t.intervals[2].threads, 1.0);
  EXPECT_EQ(t.intervals[27].top_lock, "stage_c_lock");
  EXPECT_EQ(t.intervals[27].wait_ns, (2 + 30) * kMs);  // 540..560: the burst
}

TEST(Timeline, PhasesFollowTheThreadCountAndABurstStandsApart) {
  TempDir dir;
  write_stages(dir.file("t"));
  Report r = timeline_report(dir.file("t"));
  std::vector<std::string> names;
  for (const PhaseRow& p : r.timeline.phases) names.push_back(p.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"start-up", "steady state (3 threads)", "steady state (5 threads)",
                                      "burst", "steady state (5 threads)"}));
  const std::vector<PhaseRow>& p = r.timeline.phases;
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[0].end_ns, 100 * kMs);
  EXPECT_EQ(p[1].start_ns, 100 * kMs);
  EXPECT_EQ(p[1].end_ns, 400 * kMs);
  EXPECT_EQ(p[1].top_lock, "stage_b_lock");
  EXPECT_EQ(p[1].acquisitions, 300u);
  EXPECT_EQ(p[3].start_ns, 550 * kMs);
  EXPECT_EQ(p[3].end_ns, 560 * kMs);
  EXPECT_EQ(p[3].top_lock, "stage_c_lock");
  EXPECT_EQ(p[4].end_ns, 700 * kMs);
  EXPECT_EQ(r.timeline.intervals.front().phase, "start-up");
  EXPECT_EQ(r.timeline.intervals.back().phase, "steady state (5 threads)");
}

TEST(Phases, OneThreadCountWithoutBurstsIsOneSteadyState) {
  std::vector<IntervalRow> rows(20);
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].start_ns = i * 10;
    rows[i].end_ns = i * 10 + 10;
    rows[i].threads = 4;
    rows[i].wait_ns = i % 2 == 0 ? 4 : 6;  // noise, not bursts
  }
  rows[7].threads = 3;  // a thread replaced: too short to be a phase
  std::vector<PhaseRow> phases = find_phases(rows);
  ASSERT_EQ(phases.size(), 1u);
  EXPECT_EQ(phases[0].name, "steady state");
  EXPECT_EQ(phases[0].start_ns, 0u);
  EXPECT_EQ(phases[0].end_ns, 200u);
  EXPECT_EQ(phases[0].wait_ns, 100u);
}

// kvstore --scaling on a loaded machine: the pool of 3 is torn down and
// the next (5) starts some intervals later; the dip between them is a
// transition, not a third steady state (it was named "steady state (2
// threads)" and split the run's steps in CI).
TEST(Phases, AShortDipBetweenTwoPoolsIsATransition) {
  std::vector<IntervalRow> rows(100);
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].start_ns = i * 10;
    rows[i].end_ns = i * 10 + 10;
    rows[i].threads = i < 45 ? 3 : i < 50 ? 2 : 5;
    rows[i].wait_ns = 5;
  }
  std::vector<std::string> names;
  for (const PhaseRow& p : find_phases(rows)) names.push_back(p.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"steady state (3 threads)", "transition", "steady state (5 threads)"}));
}

TEST(Window, FromAndToKeepTheWaitsThatEndInsideAndTheCountsCountedThere) {
  TempDir dir;
  write_stages(dir.file("t"));
  AggregateOptions o;
  o.decode.from_ns = 250 * kMs;
  o.decode.to_ns = 600 * kMs;
  Report r = timeline_report(dir.file("t"), o);
  ASSERT_EQ(r.locks.size(), 2u);
  const LockRow& c = r.locks[0].name == "stage_c_lock" ? r.locks[0] : r.locks[1];
  const LockRow& b = r.locks[0].name == "stage_b_lock" ? r.locks[0] : r.locks[1];
  EXPECT_EQ(b.waits, 15u);                 // those ending in 250..400 ms: from 250 on
  EXPECT_EQ(b.counts.acquisitions, 200u);  // the snapshot at 300 ms less the one at 200 ms
  EXPECT_EQ(b.counts.contended, 20u);
  EXPECT_EQ(c.waits, 20u + 3u);
  EXPECT_EQ(r.summary.wall_ns, 350 * kMs);
  EXPECT_EQ(r.timeline.from_ns, 250 * kMs);
  EXPECT_EQ(r.timeline.to_ns, 600 * kMs);
  uint64_t thread_time = 0;
  for (const ThreadRow& t : r.threads) thread_time += t.lifetime_ns();
  EXPECT_EQ(thread_time, 350 * kMs + 2 * 150 * kMs + 4 * 200 * kMs);
  EXPECT_EQ(r.summary.threads, 7u);
  o.decode.from_ns = 450 * kMs;  // the first two workers have ended
  EXPECT_EQ(timeline_report(dir.file("t"), o).summary.threads, 5u);
}

TEST(EventRows, WaitsAndHoldsCarryTheirLockThreadAndTimeOnTheCommonClock) {
  TempDir dir;
  TraceBuilder b;
  b.add_bytes(TraceBuilder::lock_name(0xA, "pool"));
  b.add(TraceBuilder::thread_start(7, kT0));
  b.add(TraceBuilder::wait(0xA, 7, kT0 + 5000, 300));
  b.add(TraceBuilder::hold(0xA, 7, 0x1234, 200, 16));
  b.add(TraceBuilder::thread_end(7, kT0 + 9000, "worker"));
  b.add(TraceBuilder::footer(kT0 + 10000, 1));
  b.write(dir.file("t"));
  AggregateOptions o;
  o.decode.max_events = 10;
  Aggregator a(o);
  a.add_trace(dir.file("t"));
  Report r = a.finish();
  const EventRows& e = r.slices;
  ASSERT_EQ(e.events.size(), 2u);
  const EventRow& wait = e.events[0];
  EXPECT_FALSE(wait.hold);
  EXPECT_EQ(wait.start_ns, 5000u);
  EXPECT_EQ(wait.duration_ns, 300u);
  EXPECT_EQ(e.names[wait.lock], "pool");
  EXPECT_EQ(e.names[wait.kind], "mutex");
  const EventRow& hold = e.events[1];
  EXPECT_TRUE(hold.hold);
  EXPECT_EQ(hold.start_ns, 5300u - 200u);  // placed at the thread's last known time
  ASSERT_EQ(e.threads.size(), 1u);
  EXPECT_EQ(e.threads[0].name, "worker");
  EXPECT_EQ(e.threads[0].end_ns, 9000u);
  ASSERT_EQ(e.processes.size(), 1u);
  EXPECT_EQ(e.processes[0].pid, 4242u);
  std::string json = render_chrome_trace(r, RenderOptions{});
  EXPECT_NE(json.find(R"("ph":"X","cat":"wait","name":"pool","pid":4242,"tid":7,"ts":5.000,"dur":0.300)"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"x("name":"thread_name","pid":4242,"tid":7,"args":{"name":"worker"})x"),
            std::string::npos);
  EXPECT_NE(json.find(R"("cat":"hold","name":"pool","pid":4242,"tid":1000000007,"ts":5.100,"dur":0.200)"),
            std::string::npos);
}

}  // namespace
}  // namespace contend::analyze
