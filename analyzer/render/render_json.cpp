// JSON report; the schema is docs/REPORT_JSON.md. Fields are only ever
// added, never renamed. Sites and threads are the views' JSON columns.
#include "columns/interval_columns.h"
#include "columns/site_columns.h"
#include "columns/thread_columns.h"
#include "render/json_writer.h"
#include "render/render.h"

#include <fmt/format.h>

namespace contend::analyze {

namespace {

void write_sites(JsonWriter& j, const char* key, const std::vector<SiteRow>& sites, bool holds) {
  j.key(key).begin_array();
  for (const SiteRow& s : sites) {
    j.begin_object();
    j.field("function", s.function);
    j.field("file", s.file);
    j.field("line", static_cast<uint64_t>(s.line));
    j.field("label", s.label);
    j.field("via", s.via);
    j.field("count", s.count);
    j.field(holds ? "hold_ns" : "wait_ns", s.ns);
    j.field("max_ns", s.max_ns);
    if (holds) {
      j.field("p50_ns", s.p50_ns);
      j.field("p99_ns", s.p99_ns);
    }
    j.field("share", s.share);
    j.end_object();
  }
  j.end_array();
}

void write_value(JsonWriter& j, const Value& v) {
  std::visit([&](const auto& x) { j.value(x); }, v);
}

// The rows of a flat view, one object each, with the view's JSON columns.
template <typename Row>
void write_rows(JsonWriter& j, const char* key, const std::vector<Column<Row>>& columns,
                const std::vector<Row>& rows, size_t limit) {
  j.key(key).begin_array();
  for (size_t i = 0; i < rows.size() && i < limit; ++i) {
    j.begin_object();
    for (const Column<Row>& c : columns) {
      if (!c.shown_in(kJson)) continue;
      j.key(c.key);
      write_value(j, c.value(rows[i]));
    }
    j.end_object();
  }
  j.end_array();
}

// A lock's object is nested (wait_ns, hold_ns, its site lists): written as
// docs/REPORT_JSON.md lays it out.
void write_lock(JsonWriter& j, const LockRow& l) {
  j.begin_object();
  j.field("name", l.name);
  j.field("name_source", name_source_name(l.name_source));
  j.field("birth", l.birth);
  j.field("kind", format::wait_kind_name(l.kind));
  j.field("address", fmt::format("0x{:x}", l.address));
  j.field("pid", l.pid);
  j.field("generation", l.generation);
  j.field("acquisitions", l.counts.acquisitions);
  j.field("contended", l.counts.contended);
  j.field("trylock_failures", l.counts.trylock_failures);
  j.field("timeouts", l.counts.timeouts);
  j.field("wakes", l.counts.wakes);
  j.field("contention_rate", l.counts.contention_rate());
  j.key("wait_ns").begin_object();
  j.field("total", l.wait_total_ns);
  j.field("count", l.waits);
  j.field("avg", l.wait_avg_ns());
  j.field("min", l.wait_min_ns);
  j.field("max", l.wait_max_ns);
  j.field("p50", l.wait_p50_ns);
  j.field("p99", l.wait_p99_ns);
  j.end_object();
  j.key("hold_ns").begin_object();
  j.field("total", l.hold.total_ns);
  j.field("avg", l.hold.avg_ns);
  j.field("p50", l.hold.p50_ns);
  j.field("p99", l.hold.p99_ns);
  j.field("max", l.hold.max_ns);
  j.field("samples", l.hold.samples);
  j.field("estimated_holds", l.hold.estimated_holds);
  j.field("sample_every", l.hold.sample_every);
  j.field("bounded", l.hold.bounded);
  j.field("long_holds", l.hold.long_holds);
  j.field("long_threshold", l.hold.long_threshold_ns);
  j.end_object();
  j.field("share_of_wait", l.share_of_wait);
  j.field("share_of_thread_time", l.share_of_thread_time);
  j.field("caused_ns", l.caused_ns);
  write_sites(j, "waiter_sites", l.waiter_sites, false);
  write_sites(j, "holder_sites", l.holder_sites, false);
  write_sites(j, "hold_sites", l.hold_sites, true);
  j.end_object();
}

}  // namespace

std::string render_json(const Report& r, const RenderOptions& options) {
  JsonWriter j;
  j.begin_object();
  j.field("format", "contend-report");
  j.field("schema_version", uint64_t{3});
  const Summary& s = r.summary;
  j.key("summary").begin_object();
  j.field("program", s.program);
  j.key("pids").begin_array();
  for (uint32_t pid : s.pids) j.value(pid);
  j.end_array();
  j.field("wall_ns", s.wall_ns);
  j.field("threads", s.threads);
  j.field("acquisitions", s.counts.acquisitions);
  j.field("contended", s.counts.contended);
  j.field("trylock_failures", s.counts.trylock_failures);
  j.field("wait_ns", s.wait_ns);
  j.field("thread_time_ns", s.thread_time_ns);
  j.field("contention_pct", s.contention_pct);
  j.field("parallel_efficiency", s.parallel_efficiency);
  j.field("efficiency_judged", s.efficiency_judged);
  j.field("efficiency_threads", s.efficiency_threads);
  j.field("event_wait_ns", s.event_wait_ns);
  j.field("event_waits", s.event_waits);
  j.field("dropped_events", s.dropped_events);
  j.field("dropped_waits", s.dropped_waits);
  j.field("threads_unprofiled", s.threads_unprofiled);
  j.field("incomplete_traces", s.incomplete_traces);
  j.field("untracked_acquisitions", s.untracked_acquisitions);
  j.field("records_lost", s.records_lost);
  j.field("lock_registry_misses", s.lock_registry_misses);
  j.field("profiling_cost_known", s.profiling_cost_known);
  j.field("profiling_cost_ns", s.profiling_cost_ns);
  j.field("profiling_cost_pct", s.profiling_cost_pct);
  if (s.operations > 0) {  // only with --ops
    j.key("per_operation").begin_object();
    j.field("operations", s.operations);
    j.field("acquisitions", s.per_op(static_cast<double>(s.counts.acquisitions)));
    j.field("contended", s.per_op(static_cast<double>(s.counts.contended)));
    j.field("wait_ns", s.per_op(static_cast<double>(s.wait_ns)));
    j.end_object();
  }
  j.end_object();

  j.key("processes").begin_array();
  for (const ProcessSummary& p : r.processes) {
    j.begin_object();
    j.field("trace", p.trace_path);
    j.field("pid", p.pid);
    j.field("ppid", p.ppid);
    j.field("exe", p.exe_path);
    j.key("argv").begin_array();
    for (const std::string& a : p.argv) j.value(a);
    j.end_array();
    j.field("start_realtime_ns", p.start_realtime_ns);
    j.field("wall_ns", p.wall_ns);
    j.field("threads", p.threads);
    j.field("records", p.records);
    j.field("complete", p.complete);
    j.field("truncated", p.truncated);
    if (p.truncated) j.field("truncated_at", p.truncated_at);
    j.field("dropped_events", p.dropped_events);
    j.key("thread_drops").begin_array();
    for (const auto& [tid, n] : p.thread_drops) {
      j.begin_object();
      j.field("tid", tid);
      j.field("dropped_events", n);
      j.end_object();
    }
    j.end_array();
    j.end_object();
  }
  j.end_array();

  // Every row unless --top was given: a machine reads what a person skims.
  size_t rows = options.machine_rows();
  for (const auto& [key, list] : {std::pair{"locks", &r.locks}, std::pair{"cond_waits", &r.cond_waits},
                                  std::pair{"events", &r.events}}) {
    j.key(key).begin_array();
    for (size_t i = 0; i < list->size() && i < rows; ++i) write_lock(j, (*list)[i]);
    j.end_array();
  }

  write_rows(j, "sites", site_columns(), r.sites, rows);
  write_rows(j, "threads", thread_columns(), r.threads, r.threads.size());
  if (r.timeline.interval_ns != 0) {
    j.key("timeline").begin_object();
    j.field("interval_ns", r.timeline.interval_ns);
    j.field("from_ns", r.timeline.from_ns);
    j.field("to_ns", r.timeline.to_ns);
    write_rows(j, "phases", phase_columns(), r.timeline.phases, r.timeline.phases.size());
    write_rows(j, "intervals", interval_columns(), r.timeline.intervals, r.timeline.intervals.size());
    j.end_object();
  }

  j.key("warnings").begin_array();
  for (const std::string& w : r.warnings) j.value(w);
  j.end_array();
  j.end_object();
  return j.str();
}

}  // namespace contend::analyze
