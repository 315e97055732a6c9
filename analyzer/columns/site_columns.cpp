#include "columns/site_columns.h"

namespace contend::analyze {

const std::vector<Column<SiteRow>>& site_columns() {
  using S = const SiteRow&;
  static const std::vector<Column<SiteRow>> columns = {
      {.header = "#", .in = kTable, .cell = [](S, size_t rank) { return fmt::format("{}", rank); }},
      // CSV has no label: its function falls back to module+offset.
      {.key = "function", .in = kCsv, .unit = Unit::kText, .value = [](S s) -> Value { return s.key; }},
      {.key = "function", .in = kJson, .unit = Unit::kText, .value = [](S s) -> Value { return s.function; }},
      {.key = "file", .in = kMachine, .unit = Unit::kText, .value = [](S s) -> Value { return s.file; }},
      {.key = "line", .in = kMachine, .value = [](S s) -> Value { return static_cast<uint64_t>(s.line); }},
      {.header = "call site",
       .key = "label",
       .in = kTable | kJson,
       .unit = Unit::kText,
       .value = [](S s) -> Value { return s.label; },
       .legend = "where threads waited"},
      {.key = "via", .in = kMachine, .unit = Unit::kText, .value = [](S s) -> Value { return s.via; }},
      {.header = "waits",
       .key = "waits",
       .in = kEverywhere,
       .unit = Unit::kCount,
       .value = [](S s) -> Value { return s.count; },
       .legend = "waits recorded there"},
      {.header = "wait total",
       .key = "wait_ns",
       .in = kEverywhere,
       .unit = Unit::kDuration,
       .value = [](S s) -> Value { return s.ns; },
       .legend = "time waited there"},
      {.header = "max",
       .key = "max_ns",
       .in = kEverywhere,
       .unit = Unit::kDuration,
       .value = [](S s) -> Value { return s.max_ns; },
       .legend = "longest single wait"},
      {.header = "share",
       .key = "share",
       .in = kEverywhere,
       .unit = Unit::kFraction,
       .value = [](S s) -> Value { return s.share; },
       .legend = "of all lock wait"},
      {.header = "lock",
       .key = "lock",
       .in = kEverywhere,
       .unit = Unit::kText,
       .value = [](S s) -> Value { return s.lock; },
       .legend = "the lock waited for most there"},
  };
  return columns;
}

}  // namespace contend::analyze
