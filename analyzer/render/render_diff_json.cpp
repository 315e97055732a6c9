// The diff as JSON; the schema is docs/DIFF_JSON.md. Times are integer
// nanoseconds, rates and shares fractions; a side that lacks a row is null,
// and so is a relative change from nothing.
#include "render/diff_render.h"
#include "render/json_writer.h"

#include <cmath>

namespace contend::analyze {

namespace {

void number_or_null(JsonWriter& j, std::string_view key, double v) {
  j.key(key);
  if (std::isfinite(v))
    j.value(v);
  else
    j.null();
}

// Per-operation figures only when the operations are known.
void per_op(JsonWriter& j, std::string_view key, uint64_t operations, double value) {
  j.key(key);
  if (operations == 0)
    j.null();
  else
    j.value(value / static_cast<double>(operations));
}

void write_run(JsonWriter& j, const char* key, const RunFigures& f, const std::vector<std::string>& traces) {
  j.key(key).begin_object();
  j.key("traces").begin_array();
  for (const std::string& t : traces) j.value(t);
  j.end_array();
  j.field("program", f.program);
  j.field("processes", f.processes);
  j.field("threads", f.threads);
  j.field("wall_ns", f.wall_ns);
  j.field("acquisitions", f.acquisitions);
  j.field("contended", f.contended);
  j.field("contention_rate", f.contention_rate());
  j.field("wait_ns", f.wait_ns);
  j.field("thread_time_ns", f.thread_time_ns);
  j.field("contention_pct", f.contention_pct);
  j.field("futex_waits", f.futex_waits);
  j.field("futex_wakes", f.futex_wakes);
  j.field("operations", f.operations);
  j.key("throughput");
  if (f.operations == 0)
    j.null();
  else
    j.value(f.throughput());
  per_op(j, "acquisitions_per_op", f.operations, static_cast<double>(f.acquisitions));
  per_op(j, "contended_per_op", f.operations, static_cast<double>(f.contended));
  per_op(j, "wait_ns_per_op", f.operations, static_cast<double>(f.wait_ns));
  j.end_object();
}

void write_lock_side(JsonWriter& j, const char* key, const LockFigures& f) {
  j.key(key);
  if (!f.present()) {
    j.null();
    return;
  }
  j.begin_object();
  j.field("locks", f.locks);
  j.field("acquisitions", f.counts.acquisitions);
  j.field("contended", f.counts.contended);
  j.field("trylock_failures", f.counts.trylock_failures);
  j.field("timeouts", f.counts.timeouts);
  j.field("wakes", f.counts.wakes);
  j.field("contention_rate", f.counts.contention_rate());
  j.field("waits", f.waits);
  j.field("wait_ns", f.wait_ns);
  j.field("p50_ns", f.wait_p50_ns);
  j.field("p99_ns", f.wait_p99_ns);
  j.field("max_ns", f.wait_max_ns);
  j.field("hold_ns", f.hold_ns);
  j.field("hold_samples", f.hold_samples);
  j.field("share_of_wait", f.share_of_wait);
  j.field("share_of_thread_time", f.share_of_thread_time);
  per_op(j, "acquisitions_per_op", f.operations, static_cast<double>(f.counts.acquisitions));
  per_op(j, "wait_ns_per_op", f.operations, static_cast<double>(f.wait_ns));
  j.end_object();
}

void write_site_side(JsonWriter& j, const char* key, const SiteFigures& f) {
  j.key(key);
  if (!f.present) {
    j.null();
    return;
  }
  j.begin_object();
  j.field("waits", f.waits);
  j.field("wait_ns", f.wait_ns);
  j.field("max_ns", f.max_ns);
  j.field("share", f.share);
  j.field("lock", f.lock);
  j.end_object();
}

double as_double(uint64_t v) {
  return static_cast<double>(v);
}

}  // namespace

std::string render_diff_json(const DiffReport& d, const DiffRenderOptions&) {
  JsonWriter j;
  j.begin_object();
  j.field("format", "contend-diff");
  j.field("schema_version", uint64_t{1});
  j.field("verdict", diff_verdict(d));
  write_run(j, "base", d.before, d.base_traces);
  write_run(j, "new", d.after, d.new_traces);
  j.key("locks").begin_array();
  for (const LockDiff& l : d.locks) {
    j.begin_object();
    j.field("name", l.name);
    j.field("kind", format::wait_kind_name(l.kind));
    j.field("status", presence_name(l.presence));
    write_lock_side(j, "before", l.before);
    write_lock_side(j, "after", l.after);
    j.key("change").begin_object();
    j.field("wait_ns", int64_t{l.wait_change_ns()});
    number_or_null(j, "wait_pct", change_pct(as_double(l.before.wait_ns), as_double(l.after.wait_ns)));
    j.field("contended",
            static_cast<int64_t>(l.after.counts.contended) - static_cast<int64_t>(l.before.counts.contended));
    number_or_null(j, "contended_pct",
                   change_pct(as_double(l.before.counts.contended), as_double(l.after.counts.contended)));
    j.field("rate_pt", 100.0 * (l.after.counts.contention_rate() - l.before.counts.contention_rate()));
    j.end_object();
    j.end_object();
  }
  j.end_array();
  j.key("sites").begin_array();
  for (const SiteDiff& s : d.sites) {
    j.begin_object();
    j.field("function", s.key);
    j.field("label", s.label);
    j.field("status", presence_name(s.presence));
    write_site_side(j, "before", s.before);
    write_site_side(j, "after", s.after);
    j.key("change").begin_object();
    j.field("wait_ns", int64_t{s.wait_change_ns()});
    number_or_null(j, "wait_pct", change_pct(as_double(s.before.wait_ns), as_double(s.after.wait_ns)));
    j.end_object();
    j.end_object();
  }
  j.end_array();
  j.key("warnings").begin_array();
  for (const std::string& w : d.warnings) j.value(w);
  j.end_array();
  j.end_object();
  return j.str();
}

}  // namespace contend::analyze
