// The report's estimate of its own cost: each thing the run did, at what
// the COST record says it costs.
#include "aggregate/profiling_cost.h"

#include <gtest/gtest.h>

namespace contend::analyze {
namespace {

ProcessInfo process_with_costs() {
  ProcessInfo p;
  p.has_cost = true;
  p.cost.pair_ps = 10'000;
  p.cost.wait_ps = 100'000;
  p.cost.stack_ps = 500'000;
  p.cost.hold_ps = 50'000;
  p.cost.reused_stack_ps = 40'000;
  return p;
}

TEST(ProfilingCost, ReusedStacksCostWhatTheRecorderMeasuredForThem) {
  ProcessInfo p = process_with_costs();
  p.wait_records = 10;
  p.stack_captures = 1;  // walked
  p.stacks_reused = 9;
  p.hold_records = 4;
  // 20 pairs, 10 waits, 1 walk, 9 reused stacks, 4 holds, in ps.
  EXPECT_EQ(estimate_profiling_cost_ns(p, 20),
            (20 * 10'000 + 10 * 100'000 + 500'000 + 9 * 40'000 + 4 * 50'000) / 1000);
}

TEST(ProfilingCost, NothingWithoutACostRecord) {
  ProcessInfo p = process_with_costs();
  p.has_cost = false;
  p.wait_records = 10;
  p.stack_captures = 10;
  EXPECT_EQ(estimate_profiling_cost_ns(p, 20), 0u);
}

TEST(ProfilingCost, PerWaitCostMixesWalkedAndReusedStacks) {
  ProcessInfo p = process_with_costs();
  p.wait_records = 10;
  p.wait_stacks_walked = 2;
  p.stacks_reused = 8;
  // (10 x 100 ns + 2 x 500 ns + 8 x 40 ns) / 10 waits.
  EXPECT_EQ(recorder_ns_per_wait(p), 232u);
  p.has_cost = false;
  EXPECT_EQ(recorder_ns_per_wait(p), 0u);
}

// One process whose waits cost the recorder 140 ns each (all reused), and
// a lock that has 60% of the wait with the given median hold.
Report report_with_hold(uint64_t hold_p50_ns, uint64_t hold_samples = 100) {
  Report r;
  ProcessSummary p;
  static_cast<ProcessInfo&>(p) = process_with_costs();
  p.pid = 7;
  p.wait_records = 50;
  p.stacks_reused = 50;
  r.processes.push_back(p);
  LockRow row;
  row.pid = 7;
  row.name = "pool_lock";
  row.waits = 50;
  row.share_of_wait = 0.6;
  row.hold.samples = hold_samples;
  row.hold.p50_ns = hold_p50_ns;
  r.locks.push_back(row);
  return r;
}

TEST(ProfilingCost, AHoldShorterThanFourTimesTheWaitCostIsNamed) {
  Report r = report_with_hold(500);  // 140 ns is 28% of it
  warn_of_short_holds(r);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "holds too short for the recorder's work at each wait: pool_lock (median hold 500 ns, recorder "
            "140 ns per wait). How often and how long threads wait for these locks can differ without "
            "profiling; compare the wall time of a plain run");
}

TEST(ProfilingCost, LongerHoldsOrTooFewSamplesAreNotNamed) {
  Report r = report_with_hold(600);  // 23%
  warn_of_short_holds(r);
  EXPECT_TRUE(r.warnings.empty());
  r = report_with_hold(200, kPerturbedMinHoldSamples - 1);
  warn_of_short_holds(r);
  EXPECT_TRUE(r.warnings.empty());
  r = report_with_hold(200);
  r.locks[0].share_of_wait = 0.04;
  warn_of_short_holds(r);
  EXPECT_TRUE(r.warnings.empty());
  r = report_with_hold(200);
  r.processes[0].has_cost = false;
  warn_of_short_holds(r);
  EXPECT_TRUE(r.warnings.empty());
}

TEST(ProfilingCost, AtMostThreeLocksAreNamedAndTheRestCounted) {
  Report r = report_with_hold(200);
  for (int i = 0; i < 4; ++i) r.locks.push_back(r.locks[0]);
  warn_of_short_holds(r);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("; and 2 more."), std::string::npos) << r.warnings[0];
}

}  // namespace
}  // namespace contend::analyze
