// Aligned text tables from column descriptors (columns/column.h): the
// columns shown in the table, sized to fit, and the legend under them.
#pragma once

#include "columns/column.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace contend::analyze {

template <typename Row>
std::vector<const Column<Row>*> table_columns(const std::vector<Column<Row>>& columns) {
  std::vector<const Column<Row>*> out;
  for (const Column<Row>& c : columns)
    if (c.shown_in(kTable)) out.push_back(&c);
  return out;
}

// Renders rows[0..limit) with columns sized to fit, two spaces apart.
template <typename Row>
std::string render_columns(const std::vector<Column<Row>>& all, const std::vector<Row>& rows, size_t limit,
                           std::string_view indent = "  ") {
  std::vector<const Column<Row>*> columns = table_columns(all);
  size_t n = std::min(limit, rows.size());
  std::vector<std::vector<std::string>> cells(n);
  std::vector<size_t> width(columns.size());
  for (size_t c = 0; c < columns.size(); ++c) width[c] = columns[c]->header.size();
  for (size_t r = 0; r < n; ++r) {
    for (size_t c = 0; c < columns.size(); ++c) {
      cells[r].push_back(columns[c]->cell_text(rows[r], r + 1));
      width[c] = std::max(width[c], cells[r].back().size());
    }
  }
  auto line = [&](auto&& text_of) {
    std::string out(indent);
    for (size_t c = 0; c < columns.size(); ++c) {
      std::string text = text_of(c);
      std::string pad(width[c] - std::min(width[c], text.size()), ' ');
      out += columns[c]->right_align() ? pad + text : text + pad;
      if (c + 1 < columns.size()) out += "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line([&](size_t c) { return std::string(columns[c]->header); });
  for (size_t r = 0; r < n; ++r) out += line([&](size_t c) { return cells[r][c]; });
  return out;
}

template <typename Row>
std::string render_legend(const std::vector<Column<Row>>& all, std::string_view indent = "  ") {
  std::vector<const Column<Row>*> columns = table_columns(all);
  size_t width = 0;
  for (const auto* c : columns)
    if (!c->legend.empty()) width = std::max(width, c->header.size());
  std::string out;
  for (const auto* c : columns) {
    if (c->legend.empty()) continue;
    out += std::string(indent) + std::string(c->header) + std::string(width - c->header.size(), ' ') + "  " +
           std::string(c->legend) + "\n";
  }
  return out;
}

}  // namespace contend::analyze
