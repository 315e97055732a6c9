// CSV: one header line, one row per lock, call site or thread (the report's
// grouping), raw units (nanoseconds, fractions), quoted where needed (RFC
// 4180). The columns are the view's, those shown in CSV.
#include "columns/interval_columns.h"
#include "columns/lock_columns.h"
#include "columns/site_columns.h"
#include "columns/thread_columns.h"
#include "render/render.h"

namespace contend::analyze {

namespace {

std::string quoted(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

template <typename Row>
std::string csv_table(const std::vector<Column<Row>>& columns, const std::vector<Row>& rows, size_t limit) {
  auto line = [&](auto&& text_of) {
    std::string out;
    for (const Column<Row>& c : columns)
      if (c.shown_in(kCsv)) out += (out.empty() ? "" : ",") + quoted(text_of(c));
    return out + "\n";
  };
  std::string out = line([](const Column<Row>& c) { return std::string(c.key); });
  for (size_t i = 0; i < rows.size() && i < limit; ++i)
    out += line([&](const Column<Row>& c) { return value_text(c.value(rows[i])); });
  return out;
}

}  // namespace

std::string render_csv(const Report& r, const RenderOptions& options) {
  size_t rows = options.machine_rows();
  switch (r.grouping) {
    case Grouping::kLock: return csv_table(lock_columns(), r.locks, rows);
    case Grouping::kSite: return csv_table(site_columns(), r.sites, rows);
    case Grouping::kThread: return csv_table(thread_columns(), r.threads, rows);
    case Grouping::kTime: return csv_table(interval_columns(), r.timeline.intervals, rows);
  }
  return {};
}

}  // namespace contend::analyze
