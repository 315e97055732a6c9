// A table described by its columns, as perf lock does: each column is one
// row here (header, alignment, how to print a cell, what it means), and the
// same descriptors drive the aligned text and the legend under it.
#pragma once

#include <algorithm>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace contend::analyze {

template <typename Row>
struct Column {
  std::string_view header;
  bool right_align;
  std::function<std::string(const Row&, size_t rank)> cell;
  std::string_view legend;  // one line; empty = not explained
};

// Renders rows[0..limit) with columns sized to fit, two spaces apart.
template <typename Row>
std::string render_columns(const std::vector<Column<Row>>& columns, const std::vector<Row>& rows,
                           size_t limit, std::string_view indent = "  ") {
  size_t n = std::min(limit, rows.size());
  std::vector<std::vector<std::string>> cells(n);
  std::vector<size_t> width(columns.size());
  for (size_t c = 0; c < columns.size(); ++c) width[c] = columns[c].header.size();
  for (size_t r = 0; r < n; ++r) {
    for (size_t c = 0; c < columns.size(); ++c) {
      cells[r].push_back(columns[c].cell(rows[r], r + 1));
      width[c] = std::max(width[c], cells[r].back().size());
    }
  }
  auto line = [&](auto&& text_of) {
    std::string out(indent);
    for (size_t c = 0; c < columns.size(); ++c) {
      std::string text = text_of(c);
      std::string pad(width[c] - std::min(width[c], text.size()), ' ');
      out += columns[c].right_align ? pad + text : text + pad;
      if (c + 1 < columns.size()) out += "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line([&](size_t c) { return std::string(columns[c].header); });
  for (size_t r = 0; r < n; ++r) out += line([&](size_t c) { return cells[r][c]; });
  return out;
}

template <typename Row>
std::string render_legend(const std::vector<Column<Row>>& columns, std::string_view indent = "  ") {
  size_t width = 0;
  for (const auto& c : columns)
    if (!c.legend.empty()) width = std::max(width, c.header.size());
  std::string out;
  for (const auto& c : columns) {
    if (c.legend.empty()) continue;
    out += std::string(indent) + std::string(c.header) + std::string(width - c.header.size(), ' ') + "  " +
           std::string(c.legend) + "\n";
  }
  return out;
}

}  // namespace contend::analyze
