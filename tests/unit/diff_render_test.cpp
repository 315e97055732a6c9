// The diff's renderers, byte for byte against tests/golden/ (the runs of
// diff_fixture.h), and the per-operation line of a single report (--ops).
// Regenerate after a deliberate change with
//   CONTEND_UPDATE_GOLDEN=1 build/bin/contend_unit_tests --gtest_filter='DiffRender*'
#include "render/diff_render.h"
#include "diff/compare_runs.h"
#include "diff_fixture.h"
#include "render/render.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#ifndef CONTEND_GOLDEN_DIR
#error "CONTEND_GOLDEN_DIR must name tests/golden"
#endif

namespace contend::analyze {
namespace {

using testing::base_run;
using testing::new_run;

void expect_golden(const std::string& name, const std::string& actual) {
  std::string path = std::string(CONTEND_GOLDEN_DIR) + "/" + name;
  if (std::getenv("CONTEND_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path) << actual;
    return;
  }
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  EXPECT_EQ(actual, s.str()) << "differs from " << path;
}

TEST(DiffRender, Table) {
  DiffReport d = compare_runs(base_run(), new_run());
  expect_golden("diff.table.txt", render_diff_table(d, DiffRenderOptions{}));
}

TEST(DiffRender, TableWithOperations) {
  DiffReport d = compare_runs(base_run(), new_run(), {1000, 1000});
  expect_golden("diff.ops.table.txt", render_diff_table(d, DiffRenderOptions{.top = 3}));
}

TEST(DiffRender, Json) {
  DiffReport d = compare_runs(base_run(), new_run(), {1000, 1000});
  expect_golden("diff.json", render_diff_json(d, DiffRenderOptions{}));
}

TEST(DiffRender, CsvOfLocksSitesAndTotals) {
  DiffReport d = compare_runs(base_run(), new_run());
  expect_golden("diff.csv", render_diff_csv(d, DiffRenderOptions{}));
  expect_golden("diff.sites.csv", render_diff_csv(d, DiffRenderOptions{.rows = DiffRows::kSites}));
  expect_golden("diff.totals.csv", render_diff_csv(d, DiffRenderOptions{.rows = DiffRows::kTotals}));
}

TEST(DiffRender, TheVerdictSaysWhatChangedInOneParagraph) {
  DiffReport d = compare_runs(base_run(), new_run(), {1000, 1000});
  EXPECT_EQ(
      diff_verdict(d),
      "Wait on `gate` (mutex) fell 4.00 s -> 0 ns, the lock is gone in NEW. Total lock wait fell 4.10 s "
      "-> 142 ms (-96.5%); thread time waiting 41.0% -> 2.8% (-38.2 pt). 1 lock gone, 1 new (1 "
      "contended). Wall time 2.00 s -> 1.00 s (-50.0%); throughput 500/s -> 1 k/s (+100%); per "
      "operation, acquisitions 1.73 -> 1.38, wait 4.10 ms -> 142 us.");
  EXPECT_EQ(diff_verdict(compare_runs(new_run(), new_run())),
            "Total lock wait was about the same, 142 ms -> 142 ms (+0.0%); thread time waiting 2.8% -> 2.8% "
            "(+0.0 pt). Wall time 1.00 s -> 1.00 s (+0.0%).");
}

TEST(ReportPerOperation, TableAndJsonSayWhatEachOperationCosts) {
  Report r = base_run();
  std::string plain = render_table(r, RenderOptions{});
  EXPECT_EQ(plain.find("per operation"), std::string::npos);
  EXPECT_EQ(render_json(r, RenderOptions{}).find("per_operation"), std::string::npos);
  r.summary.operations = 4000;
  EXPECT_NE(
      render_table(r, RenderOptions{})
          .find("  per operation (4,000 operations): 0.432 acquisitions, 0.103 contended, 1.03 ms wait\n"),
      std::string::npos);
  std::string json = render_json(r, RenderOptions{});
  EXPECT_NE(json.find("\"per_operation\": {\n"
                      "      \"operations\": 4000,\n"
                      "      \"acquisitions\": 0.4325,\n"
                      "      \"contended\": 0.103,\n"
                      "      \"wait_ns\": 1.0255e+06\n"
                      "    }"),
            std::string::npos)
      << json;
}

}  // namespace
}  // namespace contend::analyze
