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

}  // namespace
}  // namespace contend::analyze
