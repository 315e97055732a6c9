#include "columns/thread_columns.h"

namespace contend::analyze {

const std::vector<Column<ThreadRow>>& thread_columns() {
  using T = const ThreadRow&;
  static const std::vector<Column<ThreadRow>> columns = {
      // The machine formats lead with the pid, the table with the tid.
      {.key = "pid", .in = kMachine, .value = [](T t) -> Value { return uint64_t{t.pid}; }},
      {.header = "tid",
       .key = "tid",
       .in = kEverywhere,
       .value = [](T t) -> Value { return uint64_t{t.tid}; }},
      {.header = "pid", .in = kTable, .value = [](T t) -> Value { return uint64_t{t.pid}; }},
      {.key = "creator_tid", .in = kJson, .value = [](T t) -> Value { return uint64_t{t.creator_tid}; }},
      {.header = "name",
       .key = "name",
       .in = kEverywhere,
       .unit = Unit::kText,
       .value = [](T t) -> Value { return t.name; },
       .legend = "thread name"},
      {.key = "start_ns", .in = kMachine, .value = [](T t) -> Value { return t.start_ns; }},
      {.key = "end_ns", .in = kMachine, .value = [](T t) -> Value { return t.end_ns; }},
      {.header = "lifetime",
       .in = kTable,
       .unit = Unit::kDuration,
       .value = [](T t) -> Value { return t.lifetime_ns(); },
       .legend = "from its start (or ours) to its end"},
      {.header = "cpu",
       .key = "cpu_ns",
       .in = kEverywhere,
       .unit = Unit::kDuration,
       .value = [](T t) -> Value { return t.cpu_ns; },
       .legend = "CPU time"},
      {.header = "lock wait",
       .key = "lock_wait_ns",
       .in = kEverywhere,
       .unit = Unit::kDuration,
       .value = [](T t) -> Value { return t.lock_wait_ns; },
       .legend = "time it waited for locks"},
      {.header = "waiting",
       .in = kTable,
       .unit = Unit::kFraction,
       .value = [](T t) -> Value { return t.waiting_share(); },
       .legend = "lock wait / lifetime"},
      {.key = "running_at_exit", .in = kJson, .value = [](T t) -> Value { return t.running_at_exit; }},
  };
  return columns;
}

}  // namespace contend::analyze
