// The column lists, metrics and output formats are tables that grow one
// entry at a time; these are the rules an entry must keep for every format
// to pick it up.
#include "columns/interval_columns.h"
#include "columns/lock_columns.h"
#include "columns/report_metrics.h"
#include "columns/site_columns.h"
#include "columns/thread_columns.h"
#include "render/output_formats.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace contend::analyze {
namespace {

template <typename Row>
void expect_well_formed(const std::vector<Column<Row>>& columns) {
  std::set<std::string_view> csv_keys, json_keys;
  for (const Column<Row>& c : columns) {
    SCOPED_TRACE(std::string(c.header) + "/" + std::string(c.key));
    EXPECT_NE(c.in, 0) << "shown nowhere";
    if (c.shown_in(kTable)) {
      EXPECT_FALSE(c.header.empty());
      EXPECT_TRUE(c.value || c.cell) << "a table column needs a value or a cell";
    }
    if (c.shown_in(kCsv) || c.shown_in(kJson) || c.sortable) {
      EXPECT_FALSE(c.key.empty());
      EXPECT_TRUE(c.value) << "machine formats and --sort read the raw value";
    }
    if (c.shown_in(kCsv)) {
      EXPECT_TRUE(csv_keys.insert(c.key).second) << "CSV header twice";
    }
    if (c.shown_in(kJson)) {
      EXPECT_TRUE(json_keys.insert(c.key).second) << "JSON field twice";
    }
  }
}

TEST(Columns, EveryViewsListIsWellFormed) {
  expect_well_formed(lock_columns());
  expect_well_formed(site_columns());
  expect_well_formed(thread_columns());
  expect_well_formed(interval_columns());
  expect_well_formed(phase_columns());
}

TEST(Columns, CellsFollowTheUnitAndSortValuesTheRawValue) {
  LockRow l;
  l.counts.acquisitions = 1234567;
  l.wait_total_ns = 12345;
  l.share_of_wait = 0.5;
  const Column<LockRow>* acquired = sort_column(lock_columns(), "acquisitions");
  const Column<LockRow>* wait = sort_column(lock_columns(), "wait");
  const Column<LockRow>* share = sort_column(lock_columns(), "share");
  ASSERT_NE(acquired, nullptr);
  ASSERT_NE(wait, nullptr);
  ASSERT_NE(share, nullptr);
  EXPECT_EQ(acquired->cell_text(l, 1), "1,234,567");
  EXPECT_EQ(wait->cell_text(l, 1), "12.3 us");
  EXPECT_EQ(share->cell_text(l, 1), "50.0%");
  EXPECT_EQ(value_text(share->value(l)), "0.500000");
  EXPECT_DOUBLE_EQ(wait->sort_value(l), 12345.0);
  EXPECT_EQ(sort_column(lock_columns(), "name"), nullptr);  // not a sort key
}

TEST(Metrics, NamesAreUniqueAndAnEmptyReportMeasuresZero) {
  std::set<std::string_view> names;
  Report empty;
  for (const Metric& m : report_metrics()) {
    EXPECT_TRUE(names.insert(m.name).second) << m.name;
    EXPECT_EQ(m.measure(empty), 0.0) << m.name;
    EXPECT_EQ(find_metric(m.name), &m);
  }
  EXPECT_EQ(find_metric("no_such_metric"), nullptr);
}

TEST(OutputFormats, NamesAreUniqueAndTheTableComesFirst) {
  std::set<std::string_view> names;
  for (const OutputFormat& f : output_formats()) EXPECT_TRUE(names.insert(f.name).second) << f.name;
  EXPECT_EQ(output_formats().front().name, "table");
  // Every format's help, comma-separated, the last after ", or ".
  std::string help = output_formats_help();
  EXPECT_EQ(help.rfind("table, json (docs/REPORT_JSON.md), csv, folded stacks, ", 0), 0u) << help;
  std::string last = ", or " + std::string(output_formats().back().help);
  EXPECT_EQ(help.substr(help.size() - std::min(help.size(), last.size())), last) << help;
  for (const OutputFormat& f : output_formats()) EXPECT_NE(help.find(f.help), std::string::npos) << f.name;
}

}  // namespace
}  // namespace contend::analyze
