#include "aggregate/parallel_efficiency.h"
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

TableWidth fit_of(const RenderOptions& o) {
  return TableWidth{o.width, o.wide};
}

// A line cut to the table's width (none with --wide).
std::string fitted(const std::string& text, const RenderOptions& o) {
  return o.wide ? text : fit_text(text, o.width);
}

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

std::string efficiency_text(const Summary& s) {
  if (!s.efficiency_judged && s.wall_ns < kShortestJudgedRunNs)
    return fmt::format("parallel efficiency not judged (a run under {})",
                       format_duration(kShortestJudgedRunNs));
  if (!s.efficiency_judged) return "parallel efficiency not judged (no thread's CPU time was recorded)";
  return fmt::format("parallel efficiency {} ({} thread{} did work)", format_percent(s.parallel_efficiency),
                     s.efficiency_threads, s.efficiency_threads == 1 ? "" : "s");
}

std::string summary_lines(const Report& r, const RenderOptions& o) {
  const Summary& s = r.summary;
  std::string out;
  out += fitted(fmt::format("contend report: {} (pid{} {})", s.program.empty() ? "no traces" : s.program,
                            s.pids.size() == 1 ? "" : "s", pids_text(s)),
                o) +
         "\n";
  size_t width = o.wide ? static_cast<size_t>(-1) : o.width;
  out += wrap_line(
      fmt::format("  wall time {}, {} threads, {} acquisitions, {} contended ({}), total lock wait {}",
                  format_duration(s.wall_ns), s.threads, format_count(s.counts.acquisitions),
                  format_count(s.counts.contended), format_percent(s.counts.contention_rate()),
                  format_duration(s.wait_ns)),
      width, 4);
  out += wrap_line(
      fmt::format("  {:.1f}% of thread time waiting on locks, {}", s.contention_pct, efficiency_text(s)),
      width, 4);
  if (!r.events.empty()) {
    out += wrap_line(fmt::format("  waiting for events (joins, signals: not lock contention) {} in {} waits",
                                 format_duration(s.event_wait_ns), format_count(s.event_waits)),
                     width, 4);
  }
  if (s.profiling_cost_known)
    out += wrap_line(fmt::format("  profiling added about {} to thread time ({:.1f}% of it)",
                                 format_duration(s.profiling_cost_ns), s.profiling_cost_pct),
                     width, 4);
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
      out += fitted(fmt::format("  pid {:<7} {:<24} {} threads, wall {}, lock wait {}{}", p.pid, cmd,
                                p.threads, format_duration(p.wall_ns), format_duration(p.wait_ns),
                                p.complete ? "" : " (incomplete)"),
                    o) +
             "\n";
    }
  }
  return out;
}

std::string site_lines(const char* title, const std::vector<SiteRow>& sites, const RenderOptions& o) {
  std::string out;
  for (size_t i = 0; i < sites.size() && i < o.sites; ++i) {
    const SiteRow& s = sites[i];
    std::string head = fmt::format("    {:<11} {:>6}  {:>8}  {:>8}x  ", i == 0 ? title : "",
                                   format_percent(s.share), format_duration(s.ns), format_count(s.count));
    size_t room = o.width > head.size() + kNarrowestText ? o.width - head.size() : kNarrowestText;
    out += head + (o.wide ? s.label : fit_text(s.label, room)) + "\n";
  }
  if (sites.size() > o.sites) out += fmt::format("    {:<11} ({} more)\n", "", sites.size() - o.sites);
  return out;
}

std::string hold_lines(const LockRow& l, const RenderOptions& o) {
  const HoldStats& h = l.hold;
  std::string out =
      fitted(fmt::format("    {:<11} p50 {}, p99 {}, max {} ({} sampled holds, {} acquisitions)", "hold",
                         format_duration(h.p50_ns), format_duration(h.p99_ns), format_duration(h.max_ns),
                         format_count(h.samples), format_count(h.estimated_holds)),
             o);
  out += "\n";
  if (h.long_holds > 0)
    out += fmt::format("    {:<11} {} of them at least {}: a holder preempted, or sleeping with the lock\n",
                       "", format_count(h.long_holds), format_duration(h.long_threshold_ns));
  if (h.bounded)
    out += fmt::format(
        "    {:<11} total cut to the run's length: the samples said more than one holder at a time\n", "");
  for (size_t i = 0; i < l.hold_sites.size() && i < o.sites; ++i) {
    const SiteRow& s = l.hold_sites[i];
    std::string head =
        fmt::format("    {:<11} p50 {}, p99 {}, max {}  ", i == 0 ? "held at" : "", format_duration(s.p50_ns),
                    format_duration(s.p99_ns), format_duration(s.max_ns));
    size_t room = o.width > head.size() + kNarrowestText ? o.width - head.size() : kNarrowestText;
    out += head + (o.wide ? s.label : fit_text(s.label, room)) + "\n";
  }
  return out;
}

std::string lock_details(const LockRow& l, size_t rank, const RenderOptions& o) {
  std::string where = fmt::format("  [{} 0x{:x}{}]", format::wait_kind_name(l.kind), l.address,
                                  l.generation != 0 ? fmt::format(" generation {}", l.generation) : "");
  std::string title = fmt::format("#{} ", rank);
  size_t room = o.width > title.size() + where.size() + kNarrowestText ? o.width - title.size() - where.size()
                                                                       : kNarrowestText;
  std::string out = title + (o.wide ? l.name : fit_text(l.name, room)) + where + "\n";
  if (!l.birth.empty() && l.name_source != NameSource::kBirth) out += fitted("    " + l.birth, o) + "\n";
  out += site_lines("waited in", l.waiter_sites, o);
  out += site_lines(l.event ? "woken by" : "held by", l.holder_sites, o);
  if (l.hold.samples > 0) out += hold_lines(l, o);
  return out;
}

// Locks where threads waited: the hotspots. Locks nobody waited for are in
// the machine formats only.
std::vector<LockRow> hotspots(const std::vector<LockRow>& locks) {
  std::vector<LockRow> out;
  for (const LockRow& l : locks)
    if (l.waited()) out.push_back(l);
  return out;
}

std::string lock_view(const Report& r, const RenderOptions& o) {
  std::string out;
  std::vector<LockRow> hot = hotspots(r.locks);
  if (hot.empty()) {
    out += r.locks.empty()
               ? "No lock contention to show (no profiled lock matched).\n"
               : fmt::format("No lock contention to show: no thread waited for any of the {} locks.\n",
                             format_count(r.locks.size()));
  } else {
    const std::vector<Column<LockRow>>& columns = lock_columns();
    size_t quiet = r.locks.size() - hot.size();
    out += fmt::format("Top {} of {} locks where threads waited{}\n", std::min(o.top, hot.size()), hot.size(),
                       quiet == 0 ? "" : fmt::format(" ({} more never waited for)", format_count(quiet)));
    out += render_columns(columns, hot, o.top, fit_of(o));
    out += "\n";
    for (size_t i = 0; i < hot.size() && i < o.top; ++i) out += lock_details(hot[i], i + 1, o);
    out += "\n" + render_legend(columns, fit_of(o));
    size_t width = o.wide ? static_cast<size_t>(-1) : o.width;
    out += wrap_line(
        "  waited in   where threads waited: share of the lock's wait, wait, number of waits; a site is "
        "the first frame outside the lock and its wrappers (site ← wrapper; ?: the caller of a "
        "wrapper is not recorded for holds and releases)",
        width, 14);
    out += wrap_line(
        "  held by     where the holders had acquired the lock while others waited: share of the wait "
        "they caused, wait caused, releases (a read side: the writers)",
        width, 14);
  }
  if (!r.events.empty()) {
    out += "\nEvent waits (a thread waiting for another's signal: not lock contention)\n";
    for (size_t i = 0; i < r.events.size() && i < o.top; ++i) {
      const LockRow& e = r.events[i];
      out +=
          fitted(fmt::format("  {}  [{}]  {} wait{}, {} in all, p99 {}", e.name,
                             format::wait_kind_name(e.kind), format_count(e.waits), e.waits == 1 ? "" : "s",
                             format_duration(e.wait_total_ns), format_duration(e.wait_p99_ns)),
                 o) +
          "\n";
      if (!e.waiter_sites.empty()) out += fitted("      waited in " + e.waiter_sites.front().label, o) + "\n";
      if (!e.holder_sites.empty()) out += fitted("      woken by  " + e.holder_sites.front().label, o) + "\n";
    }
    if (r.events.size() > o.top) out += fmt::format("  ({} more)\n", r.events.size() - o.top);
    out += wrap_line(
        "  An event is a semaphore or futex that the threads which posted or woke it never waited on "
        "(a join, a one-shot signal, a queue's items), or that was waited on through a known event "
        "wrapper (condition, once, latch, thread parking); a known lock wrapper keeps it a lock.",
        o.wide ? static_cast<size_t>(-1) : o.width, 4);
  }
  std::vector<LockRow> conditions = hotspots(r.cond_waits);
  if (!conditions.empty()) {
    out += "\nCondition waits (waiting for a condition, not lock contention)\n";
    for (size_t i = 0; i < conditions.size() && i < o.top; ++i) {
      const LockRow& c = conditions[i];
      out += fitted(fmt::format("  {}  {} wait{}, {} in all, p99 {}", c.name, format_count(c.waits),
                                c.waits == 1 ? "" : "s", format_duration(c.wait_total_ns),
                                format_duration(c.wait_p99_ns)),
                    o) +
             "\n";
      if (!c.waiter_sites.empty()) out += fitted("      most in " + c.waiter_sites.front().label, o) + "\n";
    }
  }
  return out;
}

std::string site_view(const Report& r, const RenderOptions& o) {
  std::string out =
      fmt::format("Top {} of {} waiting call sites\n", std::min(o.top, r.sites.size()), r.sites.size());
  out += render_columns(site_columns(), r.sites, o.top, fit_of(o));
  return out + "\n" + render_legend(site_columns(), fit_of(o));
}

std::string thread_view(const Report& r, const RenderOptions& o) {
  std::string out =
      fmt::format("Top {} of {} threads by lock wait\n", std::min(o.top, r.threads.size()), r.threads.size());
  out += render_columns(thread_columns(), r.threads, o.top, fit_of(o));
  return out + "\n" + render_legend(thread_columns(), fit_of(o));
}

}  // namespace

std::string render_table(const Report& r, const RenderOptions& options) {
  std::string out = summary_lines(r, options) + "\n";
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
