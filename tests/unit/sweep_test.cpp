// contend sweep's figures (launcher/sweep_table): medians and spread per
// count, speedup and efficiency, where scaling stops and the lock that
// grows fastest; what it reads (launcher/sweep_reading); the plot's shape.
#include "sweep_reading.h"
#include "sweep_svg.h"
#include "sweep_table.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace contend::launch {
namespace {

using contend::analyze::LockGroup;

// A run at `threads` taking `wall_ms`, with `rate` operations per second
// (0: unknown) and one lock waited for `gate_pct` % of thread time.
SweepRun run(unsigned threads, unsigned index, double wall_ms, double rate, double gate_pct) {
  SweepRun r;
  r.threads = threads;
  r.index = index;
  r.wall_ns = static_cast<uint64_t>(wall_ms * 1e6);
  r.throughput = rate;
  r.figures.contention_pct = gate_pct + 1;
  r.figures.futex_waits = threads * 10;
  r.figures.operations = 1000;
  r.figures.acquisitions = threads * 100;
  LockGroup gate{"gate", format::WaitKind::kMutex, {}};
  gate.figures.locks = 1;
  gate.figures.share_of_thread_time = gate_pct / 100;
  gate.figures.share_of_wait = gate_pct / (gate_pct + 1);
  gate.figures.wait_ns = static_cast<uint64_t>(gate_pct * 1e6);
  LockGroup log{"log", format::WaitKind::kMutex, {}};
  log.figures.locks = 1;
  log.figures.share_of_thread_time = 0.01;
  log.figures.share_of_wait = 1 / (gate_pct + 1);
  log.figures.wait_ns = 1000000;
  r.locks = {gate, log};
  return r;
}

TEST(Sweep, MediansAndSpreadPerCount) {
  std::vector<SweepRun> runs = {run(1, 1, 100, 0, 0), run(1, 2, 120, 0, 0), run(1, 3, 110, 0, 0),
                                run(2, 1, 70, 0, 10), run(2, 2, 50, 0, 30), run(2, 3, 60, 0, 20)};
  std::vector<SweepPoint> p = sweep_points(runs);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].runs, 3u);
  EXPECT_DOUBLE_EQ(p[0].wall_ns.median, 110e6);
  EXPECT_DOUBLE_EQ(p[0].wall_ns.min, 100e6);
  EXPECT_DOUBLE_EQ(p[0].wall_ns.max, 120e6);
  EXPECT_NEAR(p[0].wall_ns.half_range_pct(), 100.0 * 10 / 110, 1e-9);
  // Without throughput: the same work at every count, speedup from wall time.
  EXPECT_DOUBLE_EQ(p[0].speedup, 1.0);
  EXPECT_DOUBLE_EQ(p[1].speedup, 110.0 / 60.0);
  EXPECT_DOUBLE_EQ(p[1].efficiency, 110.0 / 60.0 / 2);
  EXPECT_DOUBLE_EQ(p[1].contention_pct, 21.0);
  EXPECT_DOUBLE_EQ(p[1].futex_waits, 20.0);
  EXPECT_DOUBLE_EQ(p[1].per_op(p[1].acquisitions), 0.2);
  ASSERT_NE(p[1].top_lock(), nullptr);
  EXPECT_EQ(p[1].top_lock()->name, "gate");
  EXPECT_DOUBLE_EQ(p[1].top_lock()->thread_time_pct, 20.0);
  EXPECT_EQ(p[0].top_lock()->name, "log");  // the gate never waited at one thread
}

TEST(Sweep, EvenRunsTakeTheMeanOfTheMiddleTwo) {
  std::vector<SweepPoint> p = sweep_points({run(4, 1, 10, 100, 0), run(4, 2, 30, 300, 0)});
  EXPECT_DOUBLE_EQ(p[0].wall_ns.median, 20e6);
  EXPECT_DOUBLE_EQ(p[0].throughput.median, 200);
}

std::vector<SweepPoint> rates(std::vector<std::pair<unsigned, double>> counts) {
  std::vector<SweepRun> runs;
  double gate = 0;
  for (auto [threads, rate] : counts) runs.push_back(run(threads, 1, 100, rate, gate += 10));
  return sweep_points(runs);
}

TEST(Sweep, ScalingStopsWhereNoLaterCountGainsFivePercent) {
  ScalingVerdict v = scaling_verdict(rates({{1, 100}, {2, 150}, {4, 175}, {8, 150}}));
  EXPECT_TRUE(v.from_throughput);
  EXPECT_EQ(v.stop, 2u);
  EXPECT_FALSE(v.still_rising);
  EXPECT_EQ(v.line.substr(0, v.line.find('.', v.line.find("of that")) + 1),
            "Scaling stops at 4 threads (1.75x, efficiency 44%): at 8 threads, 0.86x of that.");
  ASSERT_TRUE(v.fastest.has_value());
  EXPECT_EQ(v.fastest->name, "gate");
  EXPECT_DOUBLE_EQ(v.fastest_from_pct, 10.0);
  EXPECT_DOUBLE_EQ(v.fastest->thread_time_pct, 40.0);
  // A dip that a later count recovers from is not where scaling stops.
  EXPECT_EQ(scaling_verdict(rates({{1, 100}, {2, 90}, {4, 200}, {8, 201}})).stop, 2u);
  // 4% more is not scaling.
  EXPECT_EQ(scaling_verdict(rates({{1, 100}, {2, 104}, {4, 103}})).stop, 0u);
  ScalingVerdict rising = scaling_verdict(rates({{1, 100}, {2, 190}, {4, 360}}));
  EXPECT_TRUE(rising.still_rising);
  EXPECT_EQ(rising.stop, 2u);
  EXPECT_EQ(rising.line.rfind("Scaling has not stopped: throughput still rises at 4 threads (3.60x", 0), 0u);
}

TEST(Sweep, ReadsThreadsOperationsAndNumbers) {
  EXPECT_EQ(with_threads({"--threads", "{threads}", "t={threads},{threads}"}, 8),
            (std::vector<std::string>{"--threads", "8", "t=8,8"}));
  EXPECT_EQ(OpsSpec("400000").operations(4, ""), 400000u);
  EXPECT_EQ(OpsSpec("1000*{threads}").operations(4, ""), 4000u);
  EXPECT_EQ(OpsSpec("{threads}*2*5").operations(3, ""), 30u);
  OpsSpec pattern(R"(operations: ([0-9,]+))");
  EXPECT_EQ(pattern.operations(1, "warm-up operations: 5\noperations: 1,200\n"), 1200u);  // the last match
  EXPECT_EQ(pattern.operations(1, "nothing here"), 0u);
  EXPECT_FALSE(OpsSpec("").given());
  EXPECT_THROW(OpsSpec("0"), std::invalid_argument);
  EXPECT_THROW(OpsSpec("ops: ("), std::invalid_argument);
  std::regex rate = compile_pattern("--throughput", R"(([0-9.,]+ ?[kMG]?) blocks/s)");
  EXPECT_DOUBLE_EQ(number_in_output("pool: 1.5 s, 45.1 M blocks/s\n", rate).value(), 45.1e6);
  EXPECT_DOUBLE_EQ(number_in_output("221,536 blocks/s", rate).value(), 221536);
  EXPECT_FALSE(number_in_output("no rate", rate).has_value());
  EXPECT_DOUBLE_EQ(number_in_output("kvstore: 219536 requests/s", std::regex("[0-9]+ requests/s")).value(),
                   219536);
}

TEST(Sweep, ThePlotHasOnePointPerCountInEachPanel) {
  SweepOptions options;
  options.command = {"app", "<{threads}>"};
  SweepResult r;
  r.options = &options;
  r.points = rates({{1, 100}, {2, 150}, {4, 175}, {8, 150}});
  r.verdict = scaling_verdict(r.points);
  std::string svg = sweep_svg(r);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
  size_t circles = 0;
  for (size_t at = svg.find("<circle"); at != std::string::npos; at = svg.find("<circle", at + 1)) ++circles;
  EXPECT_EQ(circles, 8u);
  EXPECT_NE(svg.find("app &lt;{threads}&gt;"), std::string::npos);  // text is escaped
  EXPECT_NE(svg.find("scaling stops"), std::string::npos);
  EXPECT_NE(svg.find("fastest-growing: gate"), std::string::npos);
  EXPECT_EQ(svg.find("href"), std::string::npos);  // self-contained
}

}  // namespace
}  // namespace contend::launch
