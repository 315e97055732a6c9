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

std::string hold_cell(const LockRow& l, uint64_t value) {
  return l.hold.samples == 0 ? std::string("-") : format_duration(value);
}

const std::vector<Column<LockRow>>& lock_columns() {
  static const std::vector<Column<LockRow>> columns = {
      {"#", true, [](const LockRow&, size_t rank) { return fmt::format("{}", rank); }, ""},
      {"lock", false, [](const LockRow& l, size_t) { return l.name; },
       "annotation, global variable, or where it was created or first locked"},
      {"kind", false, [](const LockRow& l, size_t) { return std::string(format::wait_kind_name(l.kind)); },
       "mutex, rwlock-read/-write (apart), spinlock, futex or semaphore"},
      {"acquired", true, [](const LockRow& l, size_t) { return format_count(l.acquisitions); },
       "successful acquisitions, contended or not"},
      {"contended", true, [](const LockRow& l, size_t) { return format_count(l.contended); },
       "acquisitions that had to wait for another thread"},
      {"rate", true, [](const LockRow& l, size_t) { return format_percent(l.contention_rate()); },
       "contended / acquired"},
      {"wait total", true, [](const LockRow& l, size_t) { return format_duration(l.wait_total_ns); },
       "time threads spent waiting for this lock"},
      {"avg", true, [](const LockRow& l, size_t) { return format_duration(l.wait_avg_ns()); },
       "average wait"},
      {"p99", true, [](const LockRow& l, size_t) { return format_duration(l.wait_p99_ns); },
       "99th percentile of single waits"},
      {"max", true, [](const LockRow& l, size_t) { return format_duration(l.wait_max_ns); },
       "longest single wait"},
      {"hold avg", true, [](const LockRow& l, size_t) { return hold_cell(l, l.hold.avg_ns); },
       "average time the lock was held (sampled acquisitions)"},
      {"hold max", true, [](const LockRow& l, size_t) { return hold_cell(l, l.hold.max_ns); },
       "longest sampled hold"},
      {"share", true, [](const LockRow& l, size_t) { return format_percent(l.share_of_wait); },
       "this lock's part of all lock wait in the report"},
  };
  return columns;
}

std::string site_lines(const char* title, const std::vector<SiteRow>& sites, size_t limit) {
  std::string out;
  for (size_t i = 0; i < sites.size() && i < limit; ++i) {
    const SiteRow& s = sites[i];
    out += fmt::format("    {:<11} {:>6}  {:>8}  {:>8}x  {}\n", i == 0 ? title : "", format_percent(s.share),
                       format_duration(s.ns), format_count(s.count), s.label);
  }
  if (sites.size() > limit) out += fmt::format("    {:<11} ({} more)\n", "", sites.size() - limit);
  return out;
}

std::string lock_details(const LockRow& l, size_t rank, size_t sites) {
  std::string out =
      fmt::format("#{} {}  [{} 0x{:x}{}]\n", rank, l.name, format::wait_kind_name(l.kind), l.address,
                  l.generation != 0 ? fmt::format(" generation {}", l.generation) : "");
  if (!l.birth.empty() && l.name_source != "birth") out += fmt::format("    {}\n", l.birth);
  out += site_lines("waited in", l.waiter_sites, sites);
  out += site_lines("held by", l.holder_sites, sites);
  if (l.hold.samples > 0) {
    out += fmt::format("    {:<11} p50 {}, p99 {}, max {} over {} samples (1 in {} acquisitions timed)\n",
                       "hold", format_duration(l.hold.p50_ns), format_duration(l.hold.p99_ns),
                       format_duration(l.hold.max_ns), format_count(l.hold.samples), l.hold.sample_every);
    for (size_t i = 0; i < l.hold_sites.size() && i < sites; ++i) {
      const SiteRow& s = l.hold_sites[i];
      out += fmt::format("    {:<11} p50 {}, p99 {}, max {}  {}\n", i == 0 ? "held at" : "",
                         format_duration(s.p50_ns), format_duration(s.p99_ns), format_duration(s.max_ns),
                         s.label);
    }
  }
  return out;
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
  out += fmt::format("  {:.1f}% of thread time waiting on locks, parallel efficiency {}\n", s.contention_pct,
                     format_percent(s.parallel_efficiency));
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
    for (size_t i = 0; i < r.locks.size() && i < options.top; ++i) {
      if (r.locks[i].waits == 0 && r.locks[i].hold.samples == 0) continue;
      out += lock_details(r.locks[i], i + 1, options.sites);
    }
    out += "\n";
    out += render_legend(lock_columns());
    out += "  waited in  where threads waited: share of the lock's wait, wait, waits\n";
    out +=
        "  held by    where the holder was when others waited: share of the wait it caused, wait caused, "
        "releases\n";
  }
  if (s.dropped_events > 0 || s.incomplete_traces > 0) {
    out += "\nWARNING: this report is missing data:\n";
    for (const std::string& w : r.warnings) out += "  " + w + "\n";
  }
  return out;
}

}  // namespace contend::analyze
