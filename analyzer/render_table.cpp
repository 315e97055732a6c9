#include "column_table.h"
#include "render.h"
#include "units.h"

#include <fmt/format.h>

namespace contend::analyze {

namespace {

std::string program_line(const Report& r) {
  if (r.processes.empty()) return "no traces";
  const ProcessSummary& first = r.processes.front();
  std::string program = first.argv.empty() ? first.exe_path : first.argv.front();
  if (r.processes.size() == 1) return fmt::format("{} (pid {})", program, first.pid);
  return fmt::format("{} and {} more processes", program, r.processes.size() - 1);
}

const std::vector<Column<LockRow>>& lock_columns() {
  static const std::vector<Column<LockRow>> columns = {
      {"#", true, [](const LockRow&, size_t rank) { return fmt::format("{}", rank); }, ""},
      {"lock", false, [](const LockRow& l, size_t) { return l.name; },
       "the lock (its address until it can be named)"},
      {"kind", false, [](const LockRow& l, size_t) { return std::string(format::wait_kind_name(l.kind)); },
       "mutex, rwlock-read/-write, spinlock, futex or semaphore"},
      {"acquired", true, [](const LockRow& l, size_t) { return format_count(l.acquisitions); },
       "successful acquisitions, contended or not"},
      {"contended", true, [](const LockRow& l, size_t) { return format_count(l.contended); },
       "acquisitions that had to wait for another thread"},
      {"rate", true, [](const LockRow& l, size_t) { return format_percent(l.contention_rate()); },
       "contended / acquired"},
      {"wait total", true, [](const LockRow& l, size_t) { return format_duration(l.wait_total_ns); },
       "time threads spent waiting for this lock"},
      {"avg", true, [](const LockRow& l, size_t) { return format_duration(l.wait_avg_ns()); },
       "average wait of a contended acquisition"},
      {"max", true, [](const LockRow& l, size_t) { return format_duration(l.wait_max_ns); },
       "longest single wait"},
      {"share", true, [](const LockRow& l, size_t) { return format_percent(l.share_of_wait); },
       "this lock's part of all lock wait in the report"},
  };
  return columns;
}

}  // namespace

std::string render_table(const Report& r, const RenderOptions& options) {
  const Summary& s = r.summary;
  std::string out;
  out += fmt::format("contend report: {}\n", program_line(r));
  out += fmt::format(
      "  wall time {}, {} threads, {} acquisitions, {} contended ({}), total lock wait {}\n",
      format_duration(s.wall_ns), s.threads, format_count(s.acquisitions), format_count(s.contended),
      format_percent(
          s.acquisitions == 0 ? 0.0 : static_cast<double>(s.contended) / static_cast<double>(s.acquisitions)),
      format_duration(s.wait_ns));
  out += fmt::format("  data: {} dropped events, {} incomplete traces{}\n", format_count(s.dropped_events),
                     s.incomplete_traces,
                     s.threads_unprofiled > 0 ? fmt::format(", {} threads not profiled", s.threads_unprofiled)
                                              : std::string());
  out += "\n";
  if (r.locks.empty()) {
    out += "No lock was acquired by a profiled thread.\n";
  } else {
    out += fmt::format("Top {} locks by total wait (of {})\n", std::min(options.top, r.locks.size()),
                       r.locks.size());
    out += render_columns(lock_columns(), r.locks, options.top);
    out += "\n";
    out += render_legend(lock_columns());
  }
  if (s.dropped_events > 0 || s.incomplete_traces > 0) {
    out += "\nWARNING: this report is missing data:\n";
    for (const std::string& w : r.warnings) out += "  " + w + "\n";
  }
  return out;
}

}  // namespace contend::analyze
