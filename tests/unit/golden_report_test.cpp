// Golden reports: a synthetic trace with known contents (fixed times, no
// real modules) rendered in every format and view, compared byte for byte
// with tests/golden/. Regenerate after a deliberate change with
//   CONTEND_UPDATE_GOLDEN=1 build/bin/contend_unit_tests --gtest_filter='GoldenReport*'
#include "aggregate/aggregator.h"
#include "columns/lock_columns.h"
#include "render/render.h"
#include "test_session.h"
#include "trace_builder.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#ifndef CONTEND_GOLDEN_DIR
#error "CONTEND_GOLDEN_DIR must name tests/golden"
#endif

namespace contend::analyze {
namespace {

using format::WaitKind;
using testing::TraceBuilder;

constexpr uint64_t kPool = 0x7000;   // a mutex, annotated
constexpr uint64_t kCache = 0x7100;  // an rwlock
constexpr uint64_t kQueue = 0x7200;  // a semaphore
constexpr uint64_t kCond = 0x7300;   // a condition variable
constexpr uint64_t kMs = 1'000'000;  // ticks are nanoseconds here

std::string synthetic_trace(const std::string& dir) {
  TraceBuilder b;
  b.add(TraceBuilder::thread_start(100, 1000));
  b.add(TraceBuilder::thread_start(101, 1000));
  b.add(TraceBuilder::thread_start(102, 1000));
  b.add_bytes(TraceBuilder::lock_name(kPool, "pool.alloc_lock"));
  b.add_bytes(TraceBuilder::stack(11, {0xa10, 0xb10, 0xc10}));
  b.add_bytes(TraceBuilder::stack(12, {0xa20, 0xb10, 0xc10}));
  // The pool: 9 waits from one site, 1 from another.
  for (int i = 0; i < 9; ++i) {
    auto w = TraceBuilder::wait(kPool, 101, 2000 + i * 10 * kMs, 4 * kMs + i * 100000);
    w.stack_id = 11;
    b.add(w);
  }
  auto w2 = TraceBuilder::wait(kPool, 102, 1000 * kMs, 1 * kMs);
  w2.stack_id = 12;
  b.add(w2);
  b.add(TraceBuilder::release(kPool, 100, 50 * kMs, 36 * kMs, 0xd10, 9));
  b.add(TraceBuilder::release(kPool, 101, 60 * kMs, 1 * kMs, 0xd20, 1));
  for (int i = 0; i < 20; ++i) b.add(TraceBuilder::hold(kPool, 100, 0xd10, 3 * kMs, 4));
  for (int i = 0; i < 20; ++i) b.add(TraceBuilder::hold(kPool, 101, 0xd20, 20000, 4));
  b.add(TraceBuilder::counts(kPool, 100, 1, 200, 0));
  b.add(TraceBuilder::counts(kPool, 101, 2, 150, 9));
  b.add(TraceBuilder::counts(kPool, 102, 3, 50, 1));
  // The cache: readers behind a writer, and a writer behind readers.
  for (int i = 0; i < 4; ++i)
    b.add(TraceBuilder::wait(kCache, 102, 3000 + i * kMs, 500000, WaitKind::kRwlockRead));
  b.add(TraceBuilder::wait(kCache, 100, 9000, 2 * kMs, WaitKind::kRwlockWrite));
  b.add(TraceBuilder::counts(kCache, 102, 3, 1000, 4, WaitKind::kRwlockRead));
  b.add(TraceBuilder::counts(kCache, 100, 1, 10, 1, WaitKind::kRwlockWrite));
  // A semaphore, and a condition wait that is not contention.
  b.add(TraceBuilder::wait(kQueue, 102, 5000, 700000, WaitKind::kSemaphore));
  b.add(TraceBuilder::counts(kQueue, 102, 3, 5, 1, WaitKind::kSemaphore));
  auto c = TraceBuilder::wait(kCond, 100, 7000, 90 * kMs, WaitKind::kCondition);
  c.related = kPool;
  b.add(c);
  b.add(TraceBuilder::thread_end(101, 1000 + 1200 * kMs, "worker-1"));
  b.add(TraceBuilder::thread_end(102, 1000 + 1200 * kMs, "worker-2"));
  b.add(TraceBuilder::thread_end(100, 1000 + 2000 * kMs, "example"));
  auto f = TraceBuilder::footer(1000 + 2000 * kMs, 3);
  b.add(f);
  std::string path = dir + "/synthetic.trace";
  b.write(path);
  return path;
}

std::string read_file(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

Report report_of(const std::string& path, FoldedWeight folded = FoldedWeight::kNone,
                 Grouping grouping = Grouping::kLock) {
  AggregateOptions options;
  options.folded = folded;
  options.grouping = grouping;
  Aggregator a(options);
  a.add_trace(path);
  const Column<LockRow>* wait = sort_column(lock_columns(), "wait");  // contend-report's default --sort
  LockSelection selection;
  selection.rank_by = [wait](const LockRow& l) { return wait->sort_value(l); };
  Report r = a.finish(selection);
  // The trace's path differs per run; the goldens name it "synthetic.trace".
  for (std::string& w : r.warnings) w.replace(0, w.find(": "), "synthetic.trace");
  for (ProcessSummary& p : r.processes) p.trace_path = "synthetic.trace";
  return r;
}

void expect_golden(const std::string& name, const std::string& actual) {
  std::string path = std::string(CONTEND_GOLDEN_DIR) + "/" + name;
  if (std::getenv("CONTEND_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path) << actual;
    return;
  }
  EXPECT_EQ(actual, read_file(path)) << "differs from " << path;
}

class GoldenReport : public ::testing::Test {
 protected:
  testing::TempDir dir;
  std::string trace = synthetic_trace(dir.path().string());
};

TEST_F(GoldenReport, Table) {
  RenderOptions o;
  expect_golden("synthetic.table.txt", render_table(report_of(trace), o));
}

TEST_F(GoldenReport, SiteAndThreadViews) {
  RenderOptions o;
  expect_golden("synthetic.sites.txt",
                render_table(report_of(trace, FoldedWeight::kNone, Grouping::kSite), o));
  expect_golden("synthetic.threads.txt",
                render_table(report_of(trace, FoldedWeight::kNone, Grouping::kThread), o));
}

TEST_F(GoldenReport, Json) {
  expect_golden("synthetic.json", render_json(report_of(trace), RenderOptions{}));
}

TEST_F(GoldenReport, Csv) {
  expect_golden("synthetic.csv", render_csv(report_of(trace), RenderOptions{}));
}

TEST_F(GoldenReport, CsvSitesAndThreads) {
  expect_golden("synthetic.sites.csv",
                render_csv(report_of(trace, FoldedWeight::kNone, Grouping::kSite), RenderOptions{}));
  expect_golden("synthetic.threads.csv",
                render_csv(report_of(trace, FoldedWeight::kNone, Grouping::kThread), RenderOptions{}));
}

TEST_F(GoldenReport, FoldedByWait) {
  expect_golden("synthetic.folded", render_folded(report_of(trace, FoldedWeight::kWait), RenderOptions{}));
}

TEST_F(GoldenReport, KnownNumbers) {
  // The numbers the goldens show, asserted by meaning as well.
  Report r = report_of(trace);
  ASSERT_EQ(r.locks.size(), 4u);
  const LockRow& pool = r.locks[0];
  EXPECT_EQ(pool.name, "pool.alloc_lock");
  EXPECT_EQ(pool.name_source, NameSource::kAnnotation);
  EXPECT_EQ(pool.counts.acquisitions, 400u);
  EXPECT_EQ(pool.counts.contended, 10u);
  EXPECT_EQ(pool.waits, 10u);
  EXPECT_EQ(pool.wait_total_ns, 9 * 4 * kMs + 36 * 100000 + 1 * kMs);
  ASSERT_EQ(pool.waiter_sites.size(), 2u);
  EXPECT_EQ(pool.waiter_sites[0].count, 9u);
  EXPECT_NEAR(pool.waiter_sites[0].share, 39.6 / 40.6, 1e-9);
  ASSERT_EQ(pool.holder_sites.size(), 2u);
  EXPECT_EQ(pool.holder_sites[0].ns, 36 * kMs);
  EXPECT_EQ(pool.holder_sites[0].count, 9u);
  EXPECT_EQ(pool.hold.samples, 40u);
  // The samples' mean (weighed by their intervals) times the 160 holds they
  // stand for (fewer than the 400 acquisitions).
  EXPECT_EQ(pool.hold.total_ns, 20 * 4 * 3 * kMs + 20 * 4 * 20000);
  EXPECT_EQ(pool.hold.estimated_holds, 160u);
  EXPECT_EQ(pool.hold.long_holds, 0u);  // half the holds are 3 ms: not rare, not long
  EXPECT_EQ(pool.hold.max_ns, 3 * kMs);
  ASSERT_EQ(r.cond_waits.size(), 1u);
  EXPECT_EQ(r.cond_waits[0].wait_total_ns, 90 * kMs);
  EXPECT_EQ(r.summary.wait_ns, pool.wait_total_ns + 4 * 500000 + 2 * kMs + 700000);
  EXPECT_EQ(r.summary.threads, 3u);
}

}  // namespace
}  // namespace contend::analyze
