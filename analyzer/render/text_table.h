// Aligned text tables from column descriptors (columns/column.h): the
// columns shown in the table, sized to fit a terminal's width, and the
// legend under them.
#pragma once

#include "columns/column.h"
#include "symbolize/function_names.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace contend::analyze {

// How wide a table may be: the terminal's columns (--wide: no limit, and
// the --wide columns too).
struct TableWidth {
  size_t columns = 120;
  bool wide = false;
};

// Shortest a text cell is made to fit.
inline constexpr size_t kNarrowestText = 16;

template <typename Row>
std::vector<const Column<Row>*> table_columns(const std::vector<Column<Row>>& columns, bool wide = false) {
  std::vector<const Column<Row>*> out;
  for (const Column<Row>& c : columns)
    if (c.in_table(wide)) out.push_back(&c);
  return out;
}

// Text cut to `width` columns with fit_text (templates collapsed, then the
// middle elided), padded on the side away from its alignment.
inline std::string pad_cell(const std::string& text, size_t width, bool right) {
  size_t shown = display_width(text);
  std::string pad(width - std::min(width, shown), ' ');
  return right ? pad + text : text + pad;
}

// Renders rows[0..limit) with columns sized to fit, two spaces apart:
// within `fit.columns` unless --wide (text columns shortened first, then
// columns with a drop order left out).
template <typename Row>
std::string render_columns(const std::vector<Column<Row>>& all, const std::vector<Row>& rows, size_t limit,
                           TableWidth fit = {}, std::string_view indent = "  ") {
  std::vector<const Column<Row>*> columns = table_columns(all, fit.wide);
  size_t n = std::min(limit, rows.size());
  std::vector<std::vector<std::string>> cells(n);
  for (size_t r = 0; r < n; ++r)
    for (const auto* c : columns) cells[r].push_back(c->cell_text(rows[r], r + 1));
  std::vector<size_t> width(columns.size());
  auto measure = [&] {
    size_t total = indent.size();
    for (size_t c = 0; c < columns.size(); ++c) {
      width[c] = display_width(columns[c]->header);
      for (size_t r = 0; r < n; ++r) width[c] = std::max(width[c], display_width(cells[r][c]));
      total += width[c] + (c + 1 < columns.size() ? 2 : 0);
    }
    return total;
  };
  size_t total = measure();
  while (!fit.wide && total > fit.columns) {
    // The widest text column gives up what it can.
    size_t widest = columns.size();
    for (size_t c = 0; c < columns.size(); ++c)
      if (columns[c]->unit == Unit::kText && width[c] > kNarrowestText &&
          (widest == columns.size() || width[c] > width[widest]))
        widest = c;
    if (widest < columns.size()) {
      size_t target = std::max(kNarrowestText, width[widest] - std::min(width[widest], total - fit.columns));
      for (size_t r = 0; r < n; ++r) cells[r][widest] = fit_text(cells[r][widest], target);
      total = measure();
      continue;
    }
    // Then columns with a drop order go, lowest first.
    size_t drop = columns.size();
    for (size_t c = 0; c < columns.size(); ++c)
      if (columns[c]->drop_order != 0 &&
          (drop == columns.size() || columns[c]->drop_order < columns[drop]->drop_order))
        drop = c;
    if (drop == columns.size()) break;
    columns.erase(columns.begin() + static_cast<std::ptrdiff_t>(drop));
    for (auto& row : cells) row.erase(row.begin() + static_cast<std::ptrdiff_t>(drop));
    width.erase(width.begin() + static_cast<std::ptrdiff_t>(drop));
    total = measure();
  }
  auto line = [&](auto&& text_of) {
    std::string out(indent);
    for (size_t c = 0; c < columns.size(); ++c) {
      out += pad_cell(text_of(c), width[c], columns[c]->right_align());
      if (c + 1 < columns.size()) out += "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line([&](size_t c) { return std::string(columns[c]->header); });
  for (size_t r = 0; r < n; ++r) out += line([&](size_t c) { return cells[r][c]; });
  return out;
}

// `text` wrapped at `width` columns, continuation lines indented by
// `hang` spaces.
inline std::string wrap_line(const std::string& text, size_t width, size_t hang) {
  if (display_width(text) <= width) return text + "\n";
  size_t start = text.find_first_not_of(' ');
  if (start == std::string::npos) return "\n";
  std::string out, line = text.substr(0, start);
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    std::string word = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? text.size() : end + 1;
    bool fresh = line.find_first_not_of(' ') == std::string::npos;
    if (!fresh && display_width(line) + 1 + display_width(word) > width) {
      out += line + "\n";
      line = std::string(hang, ' ') + word;
    } else {
      line += (fresh ? "" : " ") + word;
    }
  }
  return out + line + "\n";
}

template <typename Row>
std::string render_legend(const std::vector<Column<Row>>& all, TableWidth fit = {},
                          std::string_view indent = "  ") {
  std::vector<const Column<Row>*> columns = table_columns(all, fit.wide);
  size_t width = 0;
  for (const auto* c : columns)
    if (!c->legend.empty()) width = std::max(width, c->header.size());
  std::string out;
  for (const auto* c : columns) {
    if (c->legend.empty()) continue;
    std::string text = std::string(indent) + std::string(c->header) +
                       std::string(width - c->header.size(), ' ') + "  " + std::string(c->legend);
    out += fit.wide ? text + "\n" : wrap_line(text, fit.columns, indent.size() + width + 2);
  }
  return out;
}

}  // namespace contend::analyze
