#include "columns/lock_columns.h"
#include "columns/site_columns.h"
#include "columns/thread_columns.h"
#include "columns/units.h"
#include "render/render.h"
#include "render/text_table.h"
#include "render/timeline_text.h"

#include <fmt/format.h>

namespace contend::analyze {

namespace {

std::string pids_text(const Summary& s) {
  std::string out;
  for (size_t i = 0; i < s.pids.size() && i < 8; ++i) out += (i ? ", " : "") + fmt::format("{}", s.pids[i]);
  if (s.pids.size() > 8) out += fmt::format(" and {} more", s.pids.size() - 8);
  return out;
}

// What the recorder counted but could not record (QUALITY records).
std::string recorder_losses(const Summary& s) {
  std::string out;
  if (s.records_lost > 0)
    out +=
        fmt::format(", {} records lost (the trace file could not take them)", format_count(s.records_lost));
  if (s.lock_registry_misses > 0)
    out += fmt::format(", {} locks without identity or blame (lock registry full: raise CONTEND_LOCKS)",
                       format_count(s.lock_registry_misses));
  return out;
}

// With --ops: what each operation costs in locking.
std::string per_operation_line(const Summary& s) {
  if (s.operations == 0) return {};
  double wait = s.per_op(static_cast<double>(s.wait_ns));
  return fmt::format(
      "  per operation ({} operations): {} acquisitions, {} contended, {} wait\n", format_count(s.operations),
      format_ratio(s.per_op(static_cast<double>(s.counts.acquisitions))),
      format_ratio(s.per_op(static_cast<double>(s.counts.contended))),
      wait >= 1 ? format_duration(static_cast<uint64_t>(wait + 0.5)) : fmt::format("{:.2f} ns", wait));
}

std::string summary_lines(const Report& r) {
  const Summary& s = r.summary;
  std::string out;
  out += fmt::format("contend report: {} (pid{} {})\n", s.program.empty() ? "no traces" : s.program,
                     s.pids.size() == 1 ? "" : "s", pids_text(s));
  out += fmt::format("  wall time {}, {} threads, {} acquisitions, {} contended ({}), total lock wait {}\n",
                     format_duration(s.wall_ns), s.threads, format_count(s.counts.acquisitions),
                     format_count(s.counts.contended), format_percent(s.counts.contention_rate()),
                     format_duration(s.wait_ns));
  out += fmt::format("  {:.1f}% of thread time waiting on locks, parallel efficiency {}\n", s.contention_pct,
                     format_percent(s.parallel_efficiency));
  if (s.profiling_cost_known)
    out += fmt::format("  profiling added about {} to thread time ({:.1f}% of it)\n",
                       format_duration(s.profiling_cost_ns), s.profiling_cost_pct);
  out += fmt::format(
      "  data: {} dropped events, {} incomplete traces{}{}{}\n", format_count(s.dropped_events),
      s.incomplete_traces,
      s.threads_unprofiled > 0 ? fmt::format(", {} threads not profiled", s.threads_unprofiled)
                               : std::string(),
      s.untracked_acquisitions > 0
          ? fmt::format(
                ", {} acquisitions not tracked by lock (lock table full: raise CONTEND_LOCK_SLOTS_MAX)",
                format_count(s.untracked_acquisitions))
          : std::string(),
      recorder_losses(s));
  out += per_operation_line(s);
  if (r.processes.size() > 1) {
    for (const ProcessSummary& p : r.processes) {
      std::string cmd = p.argv.empty() ? p.exe_path : p.argv.front();
      out += fmt::format("  pid {:<7} {:<24} {} threads, wall {}, lock wait {}{}\n", p.pid, cmd, p.threads,
                         format_duration(p.wall_ns), format_duration(p.wait_ns),
                         p.complete ? "" : " (incomplete)");
    }
  }
  return out;
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
  if (!l.birth.empty() && l.name_source != NameSource::kBirth) out += fmt::format("    {}\n", l.birth);
  out += site_lines("waited in", l.waiter_sites, sites);
  out += site_lines("held by", l.holder_sites, sites);
  if (l.hold.samples > 0) {
    out += fmt::format("    {:<11} p50 {}, p99 {}, max {} ({} sampled holds standing for {} acquisitions)\n",
                       "hold", format_duration(l.hold.p50_ns), format_duration(l.hold.p99_ns),
                       format_duration(l.hold.max_ns), format_count(l.hold.samples),
                       format_count(l.hold.estimated_holds));
    for (size_t i = 0; i < l.hold_sites.size() && i < sites; ++i) {
      const SiteRow& s = l.hold_sites[i];
      out += fmt::format("    {:<11} p50 {}, p99 {}, max {}  {}\n", i == 0 ? "held at" : "",
                         format_duration(s.p50_ns), format_duration(s.p99_ns), format_duration(s.max_ns),
                         s.label);
    }
  }
  return out;
}

std::string lock_view(const Report& r, const RenderOptions& options) {
  std::string out;
  if (r.locks.empty()) {
    out += "No lock contention to show (no profiled lock matched).\n";
  } else {
    const std::vector<Column<LockRow>>& columns = lock_columns();
    out += fmt::format("Top {} of {} locks\n", std::min(options.top, r.locks.size()), r.locks.size());
    out += render_columns(columns, r.locks, options.top);
    out += "\n";
    for (size_t i = 0; i < r.locks.size() && i < options.top; ++i) {
      if (r.locks[i].waits == 0 && r.locks[i].hold.samples == 0) continue;
      out += lock_details(r.locks[i], i + 1, options.sites);
    }
    out += "\n" + render_legend(columns);
    out += "  waited in   where threads waited: share of the lock's wait, wait, number of waits\n";
    out +=
        "  held by     where the holders had acquired the lock while others waited: share of the wait they\n";
    out += "              caused, wait caused, releases\n";
  }
  if (!r.cond_waits.empty()) {
    out += "\nCondition waits (waiting for a condition, not lock contention)\n";
    for (size_t i = 0; i < r.cond_waits.size() && i < options.top; ++i) {
      const LockRow& c = r.cond_waits[i];
      out += fmt::format("  {}  {} wait{}, {} in all, p99 {}{}\n", c.name, format_count(c.waits),
                         c.waits == 1 ? "" : "s", format_duration(c.wait_total_ns),
                         format_duration(c.wait_p99_ns),
                         c.waiter_sites.empty() ? "" : ", most in " + c.waiter_sites.front().label);
    }
  }
  return out;
}

std::string site_view(const Report& r, const RenderOptions& options) {
  std::string out =
      fmt::format("Top {} of {} waiting call sites\n", std::min(options.top, r.sites.size()), r.sites.size());
  out += render_columns(site_columns(), r.sites, options.top);
  return out + "\n" + render_legend(site_columns());
}

std::string thread_view(const Report& r, const RenderOptions& options) {
  std::string out = fmt::format("Top {} of {} threads by lock wait\n",
                                std::min(options.top, r.threads.size()), r.threads.size());
  out += render_columns(thread_columns(), r.threads, options.top);
  return out + "\n" + render_legend(thread_columns());
}

}  // namespace

std::string render_table(const Report& r, const RenderOptions& options) {
  std::string out = summary_lines(r) + "\n";
  switch (r.grouping) {
    case Grouping::kLock: out += lock_view(r, options); break;
    case Grouping::kSite: out += site_view(r, options); break;
    case Grouping::kThread: out += thread_view(r, options); break;
    case Grouping::kTime: out += timeline_text(r); break;
  }
  if (r.summary.dropped_events > 0 || r.summary.incomplete_traces > 0) {
    out += "\nWARNING: this report is missing data:\n";
    for (const std::string& w : r.warnings) out += "  " + w + "\n";
  }
  return out;
}

}  // namespace contend::analyze
