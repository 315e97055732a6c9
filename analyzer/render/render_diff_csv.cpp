// The diff as CSV: one header line, then one row per matched lock (or call
// site, or total: DiffRenderOptions::rows), each side's raw value in its own
// column. Same quoting as render_csv.
#include "columns/diff_columns.h"
#include "render/diff_render.h"

namespace contend::analyze {

namespace {

std::string quoted(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

template <typename Row>
std::string csv_table(const std::vector<Column<Row>>& columns, const std::vector<Row>& rows) {
  auto line = [&](auto&& text_of) {
    std::string out;
    for (const Column<Row>& c : columns)
      if (c.shown_in(kCsv)) out += (out.empty() ? "" : ",") + quoted(text_of(c));
    return out + "\n";
  };
  std::string out = line([](const Column<Row>& c) { return std::string(c.key); });
  for (const Row& row : rows) out += line([&](const Column<Row>& c) { return value_text(c.value(row)); });
  return out;
}

}  // namespace

std::string render_diff_csv(const DiffReport& d, const DiffRenderOptions& options) {
  switch (options.rows) {
    case DiffRows::kLocks: return csv_table(diff_lock_columns(true), d.locks);
    case DiffRows::kSites: return csv_table(diff_site_columns(), d.sites);
    case DiffRows::kTotals: return csv_table(diff_figure_columns(), d.figures);
  }
  return {};
}

}  // namespace contend::analyze
