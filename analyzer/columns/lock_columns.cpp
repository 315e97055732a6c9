#include "columns/lock_columns.h"

#include "columns/units.h"

#include <fmt/format.h>

namespace contend::analyze {

namespace {

std::string count(uint64_t v) {
  return format_count(v);
}
std::string dur(uint64_t ns) {
  return format_duration(ns);
}
std::string raw_u(uint64_t v) {
  return fmt::format("{}", v);
}
std::string raw_f(double v) {
  return fmt::format("{:.6f}", v);
}
std::string held(const LockRow& l, uint64_t ns) {
  return l.hold.samples == 0 ? std::string("-") : dur(ns);
}

}  // namespace

const std::vector<LockColumn>& lock_columns() {
  using L = const LockRow&;
  static const std::vector<LockColumn> columns = {
      {"#", "rank", true, [](L, size_t r) { return fmt::format("{}", r); }, nullptr, nullptr, ""},
      {"lock", "name", false, [](L l, size_t) { return l.name; }, [](L l) { return l.name; }, nullptr,
       "annotation, global variable, or where it was created or first locked"},
      {"kind", "kind", false, [](L l, size_t) { return std::string(format::wait_kind_name(l.kind)); },
       [](L l) { return std::string(format::wait_kind_name(l.kind)); }, nullptr,
       "mutex, rwlock-read/-write (apart), spinlock, futex or semaphore"},
      {"acquired", "acquisitions", true, [](L l, size_t) { return count(l.counts.acquisitions); },
       [](L l) { return raw_u(l.counts.acquisitions); },
       [](L l) { return static_cast<double>(l.counts.acquisitions); },
       "successful acquisitions, contended or not"},
      {"contended", "contended", true, [](L l, size_t) { return count(l.counts.contended); },
       [](L l) { return raw_u(l.counts.contended); },
       [](L l) { return static_cast<double>(l.counts.contended); },
       "acquisitions that had to wait for another thread"},
      {"rate", "rate", true, [](L l, size_t) { return format_percent(l.counts.contention_rate()); },
       [](L l) { return raw_f(l.counts.contention_rate()); }, [](L l) { return l.counts.contention_rate(); },
       "contended / acquired"},
      {"wait total", "wait", true, [](L l, size_t) { return dur(l.wait_total_ns); },
       [](L l) { return raw_u(l.wait_total_ns); }, [](L l) { return static_cast<double>(l.wait_total_ns); },
       "time threads spent waiting for this lock"},
      {"avg", "avg", true, [](L l, size_t) { return dur(l.wait_avg_ns()); },
       [](L l) { return raw_u(l.wait_avg_ns()); }, [](L l) { return static_cast<double>(l.wait_avg_ns()); },
       "average wait"},
      {"p50", "p50", true, [](L l, size_t) { return dur(l.wait_p50_ns); },
       [](L l) { return raw_u(l.wait_p50_ns); }, [](L l) { return static_cast<double>(l.wait_p50_ns); },
       "median single wait"},
      {"p99", "p99", true, [](L l, size_t) { return dur(l.wait_p99_ns); },
       [](L l) { return raw_u(l.wait_p99_ns); }, [](L l) { return static_cast<double>(l.wait_p99_ns); },
       "99th percentile of single waits"},
      {"max", "max", true, [](L l, size_t) { return dur(l.wait_max_ns); },
       [](L l) { return raw_u(l.wait_max_ns); }, [](L l) { return static_cast<double>(l.wait_max_ns); },
       "longest single wait"},
      {"hold total", "hold", true, [](L l, size_t) { return held(l, l.hold.total_ns); },
       [](L l) { return raw_u(l.hold.total_ns); }, [](L l) { return static_cast<double>(l.hold.total_ns); },
       "time the lock was held, estimated from sampled holds"},
      {"hold avg", "hold_avg", true, [](L l, size_t) { return held(l, l.hold.avg_ns); },
       [](L l) { return raw_u(l.hold.avg_ns); }, [](L l) { return static_cast<double>(l.hold.avg_ns); },
       "average hold"},
      {"hold max", "hold_max", true, [](L l, size_t) { return held(l, l.hold.max_ns); },
       [](L l) { return raw_u(l.hold.max_ns); }, [](L l) { return static_cast<double>(l.hold.max_ns); },
       "longest sampled hold"},
      {"share", "share", true, [](L l, size_t) { return format_percent(l.share_of_wait); },
       [](L l) { return raw_f(l.share_of_wait); }, [](L l) { return l.share_of_wait; },
       "this lock's part of all lock wait in the report"},
      {"thread%", "thread_time", true, [](L l, size_t) { return format_percent(l.share_of_thread_time); },
       [](L l) { return raw_f(l.share_of_thread_time); }, [](L l) { return l.share_of_thread_time; },
       "its wait as a part of all profiled threads' time"},
  };
  return columns;
}

const LockColumn* sort_column(std::string_view key) {
  for (const LockColumn& c : lock_columns())
    if (c.key == key && c.sort_value) return &c;
  return nullptr;
}

std::vector<std::string> sort_keys() {
  std::vector<std::string> keys;
  for (const LockColumn& c : lock_columns())
    if (c.sort_value) keys.emplace_back(c.key);
  return keys;
}

}  // namespace contend::analyze
