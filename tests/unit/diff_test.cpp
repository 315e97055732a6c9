// The diff stage (diff/compare_runs): rows matched by name and kind (locks)
// and by function (sites), their figures before and after, the totals, the
// locks the verdict names; the diff metrics and budgets (--fail-if).
#include "cli/diff_fail_conditions.h"
#include "cli/fail_conditions.h"
#include "columns/diff_metrics.h"
#include "diff/compare_runs.h"
#include "diff_fixture.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <stdexcept>

namespace contend::analyze {
namespace {

using testing::base_run;
using testing::kMs;
using testing::new_run;

const LockDiff* find(const DiffReport& d, const std::string& name, format::WaitKind kind) {
  for (const LockDiff& l : d.locks)
    if (l.name == name && l.kind == kind) return &l;
  return nullptr;
}

double measure(const DiffReport& d, const char* metric) {
  const DiffMetric* m = find_diff_metric(metric);
  EXPECT_NE(m, nullptr) << metric;
  return m == nullptr ? std::nan("") : m->measure(d);
}

TEST(Diff, LocksMatchByNameAndKindNotAddress) {
  DiffReport d = compare_runs(base_run(), new_run());
  ASSERT_EQ(d.locks.size(), 6u);
  // By the size of the change in wait; among equal changes the busier first.
  std::vector<std::string> order;
  for (const LockDiff& l : d.locks)
    order.push_back(l.name + "/" + std::string(format::wait_kind_name(l.kind)));
  EXPECT_EQ(order, (std::vector<std::string>{"gate/mutex", "fresh/mutex", "log/mutex", "cache/rwlock-write",
                                             "cache/rwlock-read", "shard/mutex"}));
  const LockDiff& gate = d.locks[0];
  EXPECT_EQ(gate.presence, Presence::kVanished);
  EXPECT_EQ(gate.before.counts.contended, 400u);
  EXPECT_EQ(gate.before.wait_ns, 4000 * kMs);
  EXPECT_EQ(gate.before.hold_ns, 900 * kMs);
  EXPECT_FALSE(gate.after.present());
  EXPECT_EQ(gate.wait_change_ns(), -4000 * static_cast<int64_t>(kMs));
  const LockDiff* log = find(d, "log", format::WaitKind::kMutex);
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->presence, Presence::kBoth);  // at another address in NEW
  EXPECT_EQ(log->wait_change_ns(), 10 * static_cast<int64_t>(kMs));
  EXPECT_DOUBLE_EQ(
      change_pct(static_cast<double>(log->before.wait_ns), static_cast<double>(log->after.wait_ns)), 10.0);
  const LockDiff* fresh = find(d, "fresh", format::WaitKind::kMutex);
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(fresh->presence, Presence::kNew);
  EXPECT_EQ(fresh->after.counts.contended, 5u);
  // The two sides of one rwlock stay apart.
  ASSERT_NE(find(d, "cache", format::WaitKind::kRwlockRead), nullptr);
  EXPECT_EQ(find(d, "cache", format::WaitKind::kRwlockWrite)->after.counts.contended, 2u);
}

TEST(Diff, LocksOfOneNameAreSummedWithTheLargestPercentiles) {
  Report base = base_run();
  base.locks[2].counts.contended = 4;  // shard at 0x4000
  base.locks[2].wait_total_ns = 8 * kMs;
  base.locks[2].wait_p99_ns = 5 * kMs;
  base.locks[3].counts.contended = 1;  // shard at 0x4040
  base.locks[3].wait_total_ns = 1 * kMs;
  base.locks[3].wait_p99_ns = 1 * kMs;
  DiffReport d = compare_runs(base, new_run());
  const LockDiff* shard = find(d, "shard", format::WaitKind::kMutex);
  ASSERT_NE(shard, nullptr);
  EXPECT_EQ(shard->before.locks, 2u);
  EXPECT_EQ(shard->after.locks, 3u);
  EXPECT_EQ(shard->before.counts.acquisitions, 200u);
  EXPECT_EQ(shard->after.counts.acquisitions, 300u);
  EXPECT_EQ(shard->before.counts.contended, 5u);
  EXPECT_EQ(shard->before.wait_ns, 9 * kMs);
  EXPECT_EQ(shard->before.wait_p99_ns, 5 * kMs);
}

TEST(Diff, SitesMatchByFunction) {
  DiffReport d = compare_runs(base_run(), new_run());
  ASSERT_EQ(d.sites.size(), 4u);
  EXPECT_EQ(d.sites[0].key, "take_gate");
  EXPECT_EQ(d.sites[0].presence, Presence::kVanished);
  EXPECT_EQ(d.sites[0].before.waits, 400u);
  EXPECT_EQ(d.sites[1].key, "take_shard");
  EXPECT_EQ(d.sites[1].presence, Presence::kNew);
  EXPECT_EQ(d.sites[1].after.lock, "fresh");
  EXPECT_EQ(d.sites[2].key, "write_log");
  EXPECT_EQ(d.sites[2].presence, Presence::kBoth);
  EXPECT_EQ(d.sites[2].wait_change_ns(), 10 * static_cast<int64_t>(kMs));
  EXPECT_EQ(d.sites[3].key, "fill_cache");
  EXPECT_EQ(d.sites[3].wait_change_ns(), 0);
}

TEST(Diff, TotalsCountFutexWaitsAndWakesOncePerLock) {
  DiffReport d = compare_runs(base_run(), new_run());
  EXPECT_EQ(d.before.acquisitions, 1730u);
  EXPECT_EQ(d.before.contended, 412u);
  EXPECT_EQ(d.before.wait_ns, 4102 * kMs);
  EXPECT_EQ(d.before.futex_waits, 412u);
  // 400 (gate) + 10 (log) + 2 (cache: read and write share one holder list).
  EXPECT_EQ(d.before.futex_wakes, 412u);
  EXPECT_EQ(d.after.futex_waits, 17u);
  EXPECT_EQ(d.after.futex_wakes, 17u);
  EXPECT_DOUBLE_EQ(d.before.contention_pct, 41.02);
  EXPECT_EQ(d.base_traces, std::vector<std::string>{"app.trace"});
  // Without --ops: no throughput or per-operation rows.
  std::set<std::string_view> keys;
  for (const FigureDiff& f : d.figures) keys.insert(f.key);
  EXPECT_EQ(keys.count("throughput"), 0u);
  EXPECT_EQ(keys.count("acquisitions_per_op"), 0u);
  EXPECT_EQ(keys.count("futex_wakes"), 1u);
}

TEST(Diff, OperationsGiveThroughputAndPerOperationFigures) {
  DiffReport d = compare_runs(base_run(), new_run(), {1000, 1000});
  EXPECT_DOUBLE_EQ(d.before.throughput(), 500.0);  // 1000 in 2 s
  EXPECT_DOUBLE_EQ(d.after.throughput(), 1000.0);
  const LockDiff* gate = find(d, "gate", format::WaitKind::kMutex);
  ASSERT_NE(gate, nullptr);
  EXPECT_DOUBLE_EQ(gate->before.per_op(static_cast<double>(gate->before.counts.acquisitions)), 0.5);
  for (const FigureDiff& f : d.figures) {
    if (f.key == "acquisitions_per_op") {
      EXPECT_DOUBLE_EQ(f.before, 1.73);
      EXPECT_DOUBLE_EQ(f.after, 1.38);
    }
    if (f.key == "throughput") {
      EXPECT_DOUBLE_EQ(f.change_value(), 100.0);
    }
    if (f.key == "contention_pct") {
      EXPECT_DOUBLE_EQ(f.change_value(), 2.84 - 41.02);
    }
  }
}

TEST(Diff, TheVerdictNamesTheLargestChangeAndTheNextWhenItMatters) {
  DiffReport d = compare_runs(base_run(), new_run());
  EXPECT_EQ(d.movers, std::vector<size_t>{0});  // fresh's +30 ms is under a tenth of gate's -4 s
  Report base = base_run();
  base.locks[0].wait_total_ns = 200 * kMs;  // gate: -200 ms, fresh: +30 ms
  EXPECT_EQ(compare_runs(base, new_run()).movers, (std::vector<size_t>{0, 1}));
  EXPECT_TRUE(compare_runs(new_run(), new_run()).movers.empty());  // nothing changed
}

TEST(DiffMetrics, MeasureTheChangeFromBaseToNew) {
  DiffReport d = compare_runs(base_run(), new_run());
  EXPECT_DOUBLE_EQ(measure(d, "wait_increase"), 100.0 * (142.0 - 4102.0) / 4102.0);
  EXPECT_DOUBLE_EQ(measure(d, "contention_increase"), 2.84 - 41.02);
  EXPECT_DOUBLE_EQ(measure(d, "contended_increase"), 100.0 * (17.0 - 412.0) / 412.0);
  EXPECT_DOUBLE_EQ(measure(d, "rate_increase"), 100.0 * (17.0 / 1380.0 - 412.0 / 1730.0));
  EXPECT_DOUBLE_EQ(measure(d, "lock_wait_increase"), 30.0 * kMs);  // fresh, new
  EXPECT_DOUBLE_EQ(measure(d, "p99_increase"), 18.0 * kMs);        // fresh: p99 = 3 x 6 ms
  EXPECT_DOUBLE_EQ(measure(d, "new_locks"), 1.0);
  EXPECT_DOUBLE_EQ(measure(d, "wall_increase"), -50.0);
  EXPECT_DOUBLE_EQ(measure(d, "throughput_decrease"), -100.0);  // same work in half the time
  // The other way round, the fix undone: every increase is positive.
  DiffReport back = compare_runs(new_run(), base_run(), {2000, 1000});
  EXPECT_DOUBLE_EQ(measure(back, "lock_wait_increase"), 4000.0 * kMs);  // gate, new there
  EXPECT_DOUBLE_EQ(measure(back, "throughput_decrease"), 75.0);         // 2000/s -> 500/s
  EXPECT_DOUBLE_EQ(measure(back, "new_locks"), 1.0);                    // gate
}

TEST(DiffMetrics, NamesAreUniqueAndAnEmptyDiffMeasuresZero) {
  std::set<std::string_view> names;
  DiffReport empty;
  for (const DiffMetric& m : diff_metrics()) {
    EXPECT_TRUE(names.insert(m.name).second) << m.name;
    EXPECT_EQ(m.measure(empty), 0.0) << m.name;
    EXPECT_EQ(find_diff_metric(m.name), &m);
  }
}

TEST(DiffBudgets, ParseUnitsAndNegativeChanges) {
  DiffFailCondition c = parse_diff_fail_condition("wait_increase>10%");
  EXPECT_EQ(c.metric->name, "wait_increase");
  EXPECT_EQ(c.op, ">");
  EXPECT_DOUBLE_EQ(c.value, 10.0);
  EXPECT_DOUBLE_EQ(parse_diff_fail_condition("contention_increase>1pt").value, 1.0);
  EXPECT_DOUBLE_EQ(parse_diff_fail_condition("lock_wait_increase>=2ms").value, 2e6);
  EXPECT_DOUBLE_EQ(parse_diff_fail_condition("wait_increase>-50%").value, -50.0);
  EXPECT_THROW(parse_diff_fail_condition("contention_increase>1ms"), std::invalid_argument);
  EXPECT_THROW(parse_diff_fail_condition("contention>1%"), std::invalid_argument);  // a report metric
  EXPECT_THROW(parse_diff_fail_condition("wait_increase"), std::invalid_argument);
  // A single report's budgets still refuse negative values.
  EXPECT_THROW(parse_fail_condition("contention>-1%"), std::invalid_argument);
}

TEST(DiffBudgets, OneLinePerBreach) {
  DiffReport worse = compare_runs(new_run(), base_run());
  std::vector<DiffFailCondition> budgets = {
      parse_diff_fail_condition("wait_increase>10%"), parse_diff_fail_condition("contention_increase>1pt"),
      parse_diff_fail_condition("new_locks>1"), parse_diff_fail_condition("wall_increase<0%")};
  std::vector<std::string> breaches = evaluate_diff(budgets, worse);
  ASSERT_EQ(breaches.size(), 2u);
  EXPECT_EQ(breaches[0], "FAIL wait_increase>10%: wait_increase is +2788.73%");
  EXPECT_EQ(breaches[1], "FAIL contention_increase>1pt: contention_increase is +38.18 pt");
  EXPECT_TRUE(evaluate_diff(budgets, compare_runs(base_run(), new_run())).size() == 1);  // wall fell
  // From no wait at all to some: an increase from nothing.
  Report idle = new_run();
  for (LockRow& l : idle.locks) l.wait_total_ns = 0;
  idle.summary.wait_ns = 0;
  EXPECT_EQ(evaluate_diff({budgets[0]}, compare_runs(idle, base_run())),
            std::vector<std::string>{"FAIL wait_increase>10%: wait_increase is new (none before)"});
}

}  // namespace
}  // namespace contend::analyze
