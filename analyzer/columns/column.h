// A column of a view, described once for every format (as perf lock does):
// the table's header, cell and legend; the machine formats' key and raw
// value; whether --sort can rank by it. Each view has one list of them
// (lock_columns, site_columns, thread_columns); adding a column is adding
// one entry there, and the table, CSV, JSON (for the flat views) and --sort
// follow.
#pragma once

#include "columns/units.h"

#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace contend::analyze {

// A raw value: nanoseconds and counts, fractions (0..1), names, flags.
using Value = std::variant<uint64_t, double, std::string, bool>;

// The formats a column appears in (bits of Column::in). kWide: the table
// shows it only with --wide (the default table fits 120 columns).
enum ColumnIn : uint8_t {
  kTable = 1,
  kCsv = 2,
  kJson = 4,
  kMachine = kCsv | kJson,
  kEverywhere = 7,
  kWide = 8,
};

// CSV text of a value: integers exact, fractions with 6 decimals.
inline std::string value_text(const Value& v) {
  if (const auto* u = std::get_if<uint64_t>(&v)) return fmt::format("{}", *u);
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{:.6f}", *d);
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return std::get<std::string>(v);
}

// How a value reads in a table: text left-aligned, numbers right-aligned;
// counts with separators, durations and fractions scaled (units.h).
enum class Unit { kText, kNumber, kCount, kDuration, kFraction };

template <typename Row>
struct Column {
  std::string_view header = {};  // table header
  std::string_view key = {};     // CSV header, JSON field and --sort name
  uint8_t in = 0;                // ColumnIn bits
  Unit unit = Unit::kNumber;
  std::function<Value(const Row&)> value = {};                    // raw units
  std::function<std::string(const Row&, size_t rank)> cell = {};  // a cell the unit cannot say; usually null
  bool sortable = false;                                          // --sort can rank by its value
  std::string_view legend = {};                                   // one line under the table; "" = none
  // In a terminal too narrow for the table, columns with a drop order go,
  // lowest first (0: never); text columns are shortened first.
  uint8_t drop_order = 0;

  bool shown_in(ColumnIn format) const { return (in & format) != 0; }
  bool in_table(bool wide) const { return (in & kTable) != 0 || (wide && (in & kWide) != 0); }
  bool right_align() const { return unit != Unit::kText; }
  std::string cell_text(const Row& row, size_t rank) const {
    if (cell) return cell(row, rank);
    Value v = value(row);
    switch (unit) {
      case Unit::kCount: return format_count(std::get<uint64_t>(v));
      case Unit::kDuration: return format_duration(std::get<uint64_t>(v));
      case Unit::kFraction: return format_percent(std::get<double>(v));
      case Unit::kText:
      case Unit::kNumber: break;
    }
    return value_text(v);
  }
  double sort_value(const Row& row) const {
    Value v = value(row);
    if (const auto* u = std::get_if<uint64_t>(&v)) return static_cast<double>(*u);
    if (const auto* d = std::get_if<double>(&v)) return *d;
    return 0;
  }
};

// The sortable column named `key`, or nullptr.
template <typename Row>
const Column<Row>* sort_column(const std::vector<Column<Row>>& columns, std::string_view key) {
  for (const Column<Row>& c : columns)
    if (c.sortable && c.key == key) return &c;
  return nullptr;
}

// The --sort names, for help text and error messages.
template <typename Row>
std::vector<std::string> sort_keys(const std::vector<Column<Row>>& columns) {
  std::vector<std::string> keys;
  for (const Column<Row>& c : columns)
    if (c.sortable) keys.emplace_back(c.key);
  return keys;
}

}  // namespace contend::analyze
