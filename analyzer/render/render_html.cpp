// One self-contained HTML page: summary, top locks with their call sites
// and holders, a flame graph (icicle) of waits by stack, the time line and
// its phases, and the data-quality footer. Tables are laid out here from
// the columns/ lists; the flame graph and the time line chart are drawn by
// our script (render/html/report.js, compiled in with report.css) from the
// rows embedded as JSON. Nothing is fetched: no network, fonts or scripts
// from elsewhere.
#include "columns/interval_columns.h"
#include "columns/lock_columns.h"
#include "columns/units.h"
#include "render/html_text.h"
#include "render/render.h"

#include <fmt/format.h>

#include <string_view>

namespace contend::analyze {

extern const std::string_view kReportCss;
extern const std::string_view kReportJs;

namespace {

template <typename Row>
std::string html_table(const std::vector<Column<Row>>& columns, const std::vector<Row>& rows, size_t limit,
                       std::string_view id) {
  std::string out = fmt::format("<table id=\"{}\"><thead><tr>", id);
  for (const Column<Row>& c : columns) {
    if (!c.shown_in(kTable)) continue;
    out += fmt::format("<th{}{}>{}</th>", c.right_align() ? " class=\"num\"" : "",
                       c.legend.empty() ? "" : " title=\"" + html_escape(c.legend) + "\"",
                       html_escape(c.header));
  }
  out += "</tr></thead><tbody>\n";
  for (size_t r = 0; r < rows.size() && r < limit; ++r) {
    out += "<tr>";
    for (const Column<Row>& c : columns) {
      if (!c.shown_in(kTable)) continue;
      out += fmt::format("<td{}>{}</td>", c.right_align() ? " class=\"num\"" : "",
                         html_escape(c.cell_text(rows[r], r + 1)));
    }
    out += "</tr>\n";
  }
  return out + "</tbody></table>\n";
}

std::string fact(std::string_view id, std::string_view label, const std::string& value) {
  return fmt::format("<div><dt>{}</dt><dd id=\"{}\">{}</dd></div>", label, id, html_escape(value));
}

std::string summary(const Report& r) {
  const Summary& s = r.summary;
  std::string pids;
  for (size_t i = 0; i < s.pids.size() && i < 8; ++i) pids += (i ? ", " : "") + fmt::format("{}", s.pids[i]);
  if (s.pids.size() > 8) pids += fmt::format(" and {} more", s.pids.size() - 8);
  std::string out = fmt::format(
      "<header><h1>contend report</h1><p id=\"program\">{} <span>(pid{} {})</span></p></header>\n",
      html_escape(s.program.empty() ? "no traces" : s.program), s.pids.size() == 1 ? "" : "s",
      html_escape(pids));
  out += "<section id=\"summary\"><h2>Summary</h2><dl class=\"facts\">";
  out += fact("wall", "wall time", format_duration(s.wall_ns));
  out += fact("threads", "threads", fmt::format("{}", s.threads));
  out += fact("acquisitions", "acquisitions", format_count(s.counts.acquisitions));
  out += fact(
      "contended", "contended",
      fmt::format("{} ({})", format_count(s.counts.contended), format_percent(s.counts.contention_rate())));
  out += fact("wait", "total lock wait", format_duration(s.wait_ns));
  out += fact("contention", "thread time waiting", fmt::format("{:.1f}%", s.contention_pct));
  out += fact("efficiency", "parallel efficiency", format_percent(s.parallel_efficiency));
  out += "</dl></section>\n";
  return out;
}

std::string site_table(const char* title, const char* share_of, const std::vector<SiteRow>& sites,
                       size_t limit) {
  if (sites.empty()) return {};
  std::string out = fmt::format(
      "<div><h4>{}</h4><table class=\"sites\"><thead><tr><th class=\"num\" title=\"{}\">share</th>"
      "<th class=\"num\">time</th><th class=\"num\">count</th><th>call site</th></tr></thead><tbody>",
      title, share_of);
  for (size_t i = 0; i < sites.size() && i < limit; ++i) {
    const SiteRow& s = sites[i];
    out += fmt::format(
        "<tr><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
        format_percent(s.share), format_duration(s.ns), format_count(s.count), html_escape(s.label));
  }
  if (sites.size() > limit)
    out += fmt::format("<tr><td colspan=\"4\">({} more)</td></tr>", sites.size() - limit);
  return out + "</tbody></table></div>";
}

std::string lock_detail(const LockRow& l, size_t rank, size_t sites) {
  std::string out = fmt::format(
      "<details class=\"lock\"{}><summary><span class=\"rank\">#{}</span> <span "
      "class=\"lock-name\">{}</span> "
      "<span class=\"kind\">[{} 0x{:x}]</span></summary>",
      rank == 1 ? " open" : "", rank, html_escape(l.name), format::wait_kind_name(l.kind), l.address);
  if (!l.birth.empty() && l.name_source != NameSource::kBirth) out += "<p>" + html_escape(l.birth) + "</p>";
  out += "<div class=\"site-lists\">";
  out += site_table("waited in", "of the lock's wait", l.waiter_sites, sites);
  out += site_table("held by (while others waited)", "of the wait they caused", l.holder_sites, sites);
  out += "</div>";
  if (l.hold.samples > 0)
    out += fmt::format(
        "<p class=\"hold\">hold p50 {}, p99 {}, max {} ({} sampled holds standing for {} acquisitions)</p>",
        format_duration(l.hold.p50_ns), format_duration(l.hold.p99_ns), format_duration(l.hold.max_ns),
        format_count(l.hold.samples), format_count(l.hold.estimated_holds));
  return out + "</details>\n";
}

std::string locks(const Report& r, const RenderOptions& o) {
  std::string out = "<section id=\"locks\">";
  if (r.locks.empty())
    return out + "<h2>Locks</h2><p>No lock contention to show (no profiled lock matched).</p></section>\n";
  out += fmt::format("<h2>Top {} of {} locks</h2>", std::min(o.top, r.locks.size()), r.locks.size());
  out += html_table(lock_columns(), r.locks, o.top, "lock-table");
  for (size_t i = 0; i < r.locks.size() && i < o.top; ++i) out += lock_detail(r.locks[i], i + 1, o.sites);
  return out + "</section>\n";
}

std::string timeline(const Report& r) {
  const Timeline& t = r.timeline;
  std::string out = "<section id=\"timeline\"><h2>Time line</h2>";
  if (t.intervals.empty()) return out + "<p>No time line (empty window).</p></section>\n";
  out += fmt::format(
      "<p class=\"hint\">lock wait per interval of {} (threads waiting, on average), coloured by phase; "
      "hover a bar for its numbers</p><div id=\"timeline-chart\"></div>",
      format_duration(t.interval_ns));
  out += "<h3>Phases</h3>" + html_table(phase_columns(), t.phases, t.phases.size(), "phase-table");
  return out + "</section>\n";
}

std::string quality(const Report& r) {
  const Summary& s = r.summary;
  std::string out = "<footer id=\"quality\"><h2>Data quality</h2><ul>";
  out += fmt::format(
      "<li id=\"dropped\">{} dropped events{}</li>", format_count(s.dropped_events),
      s.dropped_events > 0 ? " (counts of contention are lower bounds: raise CONTEND_RING_KB)" : "");
  out += fmt::format("<li id=\"incomplete\">{} incomplete traces</li>", s.incomplete_traces);
  if (s.threads_unprofiled > 0) out += fmt::format("<li>{} threads not profiled</li>", s.threads_unprofiled);
  if (s.untracked_acquisitions > 0)
    out += fmt::format(
        "<li>{} acquisitions not tracked by lock (lock table full: raise CONTEND_LOCK_SLOTS_MAX)</li>",
        format_count(s.untracked_acquisitions));
  for (const std::string& w : r.warnings) out += "<li class=\"warning\">" + html_escape(w) + "</li>";
  return out + "</ul><p>Written by contend-report; this page loads nothing from elsewhere.</p></footer>\n";
}

}  // namespace

std::string render_html(const Report& r, const RenderOptions& options) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  out += "<title>contend report: " + html_escape(r.summary.program) + "</title>\n<style>\n";
  out += kReportCss;
  out += "</style></head>\n<body>\n";
  out += summary(r);
  out += locks(r, options);
  out +=
      "<section id=\"flame\"><h2>Where threads waited</h2><p class=\"hint\">icicle of lock wait by stack: "
      "click a frame to zoom in, the top bar to zoom out; <button id=\"invert\" type=\"button\">lock at the "
      "top</button></p>"
      "<div id=\"flamegraph\"></div></section>\n";
  out += timeline(r);
  out += quality(r);
  out += "<script type=\"application/json\" id=\"contend-data\">" + html_report_data(r) +
         "</script>\n<script>\n";
  out += kReportJs;
  out += "</script>\n</body></html>\n";
  return out;
}

}  // namespace contend::analyze
