// CSV text shared by the report and the diff: one header line of column
// keys, then one line per row, raw values, quoted where needed (RFC 4180).
#pragma once

#include "columns/column.h"

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace contend::analyze {

inline std::string csv_quoted(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The columns shown in CSV; at most `limit` rows.
template <typename Row>
std::string csv_table(const std::vector<Column<Row>>& columns, const std::vector<Row>& rows,
                      size_t limit = std::numeric_limits<size_t>::max()) {
  auto line = [&](auto&& text_of) {
    std::string out;
    for (const Column<Row>& c : columns)
      if (c.shown_in(kCsv)) out += (out.empty() ? "" : ",") + csv_quoted(text_of(c));
    return out + "\n";
  };
  std::string out = line([](const Column<Row>& c) { return std::string(c.key); });
  for (size_t i = 0; i < rows.size() && i < limit; ++i)
    out += line([&](const Column<Row>& c) { return value_text(c.value(rows[i])); });
  return out;
}

}  // namespace contend::analyze
