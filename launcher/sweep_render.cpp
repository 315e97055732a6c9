#include "sweep_render.h"

#include "columns/column.h"
#include "columns/units.h"
#include "render/json_writer.h"
#include "render/text_table.h"

#include <fmt/format.h>

#include <cmath>

namespace contend::launch {

namespace {

using contend::analyze::Column;
using contend::analyze::format_count;
using contend::analyze::format_duration;
using contend::analyze::format_percent;
using contend::analyze::format_ratio;
using contend::analyze::JsonWriter;
using contend::analyze::kTable;
using contend::analyze::Unit;
using P = const SweepPoint&;

std::string with_spread(const std::string& value, const SweepPoint& p, const Spread& s) {
  if (p.runs < 2) return value;
  return fmt::format("{} ±{:.0f}%", value, s.half_range_pct());
}

std::string rate_text(double v) {
  if (v >= 1e9) return fmt::format("{:.3g} G/s", v / 1e9);
  if (v >= 1e6) return fmt::format("{:.3g} M/s", v / 1e6);
  if (v >= 1e3) return fmt::format("{:.3g} k/s", v / 1e3);
  return fmt::format("{:.3g}/s", v);
}

uint64_t whole(double v) {
  return static_cast<uint64_t>(std::llround(v));
}

std::vector<Column<SweepPoint>> point_columns(bool rates, bool ops) {
  std::vector<Column<SweepPoint>> c = {
      {.header = "threads",
       .in = kTable,
       .unit = Unit::kNumber,
       .cell = [](P p, size_t) { return fmt::format("{}", p.threads); }},
      {.header = "wall",
       .in = kTable,
       .unit = Unit::kNumber,
       .cell = [](P p,
                  size_t) { return with_spread(format_duration(whole(p.wall_ns.median)), p, p.wall_ns); },
       .legend = "wall time of the run (median, ± half its range over --repeat runs)"},
  };
  if (rates)
    c.push_back(
        {.header = "throughput",
         .in = kTable,
         .unit = Unit::kNumber,
         .cell = [](P p, size_t) { return with_spread(rate_text(p.throughput.median), p, p.throughput); },
         .legend = "operations per second (--throughput, or --ops / wall time)"});
  c.push_back({.header = "speedup",
               .in = kTable,
               .unit = Unit::kNumber,
               .cell = [](P p, size_t) { return fmt::format("{:.2f}x", p.speedup); },
               .legend = "against the first count"});
  c.push_back({.header = "efficiency",
               .in = kTable,
               .unit = Unit::kNumber,
               .cell = [](P p, size_t) { return fmt::format("{:.0f}%", 100 * p.efficiency); },
               .legend = "speedup / (threads / the first count's threads)"});
  c.push_back({.header = "waiting",
               .in = kTable,
               .unit = Unit::kNumber,
               .cell = [](P p, size_t) { return fmt::format("{:.1f}%", p.contention_pct); },
               .legend = "% of thread time spent waiting on locks"});
  c.push_back({.header = "futex waits",
               .in = kTable,
               .unit = Unit::kNumber,
               .cell = [](P p, size_t) { return format_count(whole(p.futex_waits)); },
               .legend = "waits that slept in the kernel (all but spinlocks')"});
  c.push_back({.header = "wakes",
               .in = kTable,
               .unit = Unit::kNumber,
               .cell = [](P p, size_t) { return format_count(whole(p.futex_wakes)); },
               .legend = "releases that found a thread waiting (futex wakes)"});
  if (ops)
    c.push_back({.header = "acq/op",
                 .in = kTable,
                 .unit = Unit::kNumber,
                 .cell = [](P p, size_t) { return format_ratio(p.per_op(p.acquisitions)); },
                 .legend = "lock acquisitions per operation (--ops)"});
  c.push_back({.header = "top lock",
               .in = kTable,
               .unit = Unit::kText,
               .cell = [](P p, size_t) -> std::string {
                 const SweepLock* l = p.top_lock();
                 return l == nullptr ? "-" : fmt::format("{} ({})", l->name, l->kind);
               },
               .legend = "the lock with the most wait"});
  c.push_back({.header = "share",
               .in = kTable,
               .unit = Unit::kNumber,
               .cell = [](P p, size_t) -> std::string {
                 const SweepLock* l = p.top_lock();
                 return l == nullptr ? "-" : format_percent(l->share);
               },
               .legend = "its part of all lock wait"});
  return c;
}

std::string command_text(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// A sentence broken into lines of at most 100 columns.
std::string wrapped(const std::string& text) {
  std::string out, line;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find(' ', at);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(at, end - at);
    if (!line.empty() && line.size() + 1 + word.size() > 100) {
      out += line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    at = end + 1;
  }
  return line.empty() ? out : out + line + "\n";
}

void spread_object(JsonWriter& j, const char* key, const Spread& s, bool known) {
  j.key(key);
  if (!known) {
    j.null();
    return;
  }
  j.begin_object();
  j.field("median", s.median);
  j.field("min", s.min);
  j.field("max", s.max);
  j.end_object();
}

}  // namespace

std::string render_sweep_table(const SweepResult& r) {
  const SweepOptions& o = *r.options;
  bool rates = r.verdict.from_throughput;
  bool ops = !r.points.empty() && r.points.front().operations > 0;
  std::vector<Column<SweepPoint>> columns = point_columns(rates, ops);
  std::string out = fmt::format("contend sweep: {}\n", command_text(o.command));
  out += fmt::format("  {} run{} per count{}, traces in {}/\n\n", o.repeat, o.repeat == 1 ? "" : "s",
                     o.repeat == 1 ? "" : " (medians)", o.output_dir);
  out += contend::analyze::render_columns(columns, r.points, r.points.size());
  out += "\n" + wrapped(r.verdict.line);
  if (!r.svg_path.empty() || !r.json_path.empty())
    out += fmt::format("\nplot: {}   JSON: {}\n", r.svg_path, r.json_path);
  out += "\n" + contend::analyze::render_legend(columns);
  return out;
}

std::string render_sweep_json(const SweepResult& r) {
  const SweepOptions& o = *r.options;
  JsonWriter j;
  j.begin_object();
  j.field("format", "contend-sweep");
  j.field("schema_version", uint64_t{1});
  j.key("command").begin_array();
  for (const std::string& w : o.command) j.value(w);
  j.end_array();
  j.field("output_dir", o.output_dir);
  j.field("repeat", uint64_t{o.repeat});
  j.field("speedup_from", r.verdict.from_throughput ? "throughput" : "wall_time");
  j.key("points").begin_array();
  for (const SweepPoint& p : r.points) {
    j.begin_object();
    j.field("threads", uint64_t{p.threads});
    spread_object(j, "wall_ns", p.wall_ns, true);
    spread_object(j, "throughput", p.throughput, p.throughput.median > 0);
    j.field("speedup", p.speedup);
    j.field("efficiency", p.efficiency);
    j.field("contention_pct", p.contention_pct);
    j.field("futex_waits", p.futex_waits);
    j.field("futex_wakes", p.futex_wakes);
    j.field("acquisitions", p.acquisitions);
    j.field("contended", p.contended);
    j.field("wait_ns", p.wait_ns);
    j.key("operations");
    if (p.operations > 0)
      j.value(p.operations);
    else
      j.null();
    j.key("acquisitions_per_op");
    if (p.operations > 0)
      j.value(p.per_op(p.acquisitions));
    else
      j.null();
    j.key("contended_per_op");
    if (p.operations > 0)
      j.value(p.per_op(p.contended));
    else
      j.null();
    j.key("locks").begin_array();
    for (const SweepLock& l : p.locks) {
      j.begin_object();
      j.field("name", l.name);
      j.field("kind", l.kind);
      j.field("share", l.share);
      j.field("thread_time_pct", l.thread_time_pct);
      j.field("wait_ns", l.wait_ns);
      j.field("contended", l.contended);
      j.end_object();
    }
    j.end_array();
    j.key("runs").begin_array();
    for (const SweepRun& run : r.runs) {
      if (run.threads != p.threads) continue;
      j.begin_object();
      j.field("run", uint64_t{run.index});
      j.field("exit_status", int64_t{run.exit_code});
      j.field("wall_ns", run.wall_ns);
      j.key("throughput");
      if (run.throughput > 0)
        j.value(run.throughput);
      else
        j.null();
      j.field("contention_pct", run.figures.contention_pct);
      j.field("output", run.output);
      j.key("traces").begin_array();
      for (const std::string& t : run.traces) j.value(t);
      j.end_array();
      j.end_object();
    }
    j.end_array();
    j.end_object();
  }
  j.end_array();
  j.key("scaling").begin_object();
  j.key("stops_at");
  if (r.verdict.still_rising || r.points.size() < 2)
    j.null();
  else
    j.value(uint64_t{r.points[r.verdict.stop].threads});
  j.field("still_rising", r.verdict.still_rising);
  j.key("fastest_lock");
  if (r.verdict.fastest.has_value()) {
    j.begin_object();
    j.field("name", r.verdict.fastest->name);
    j.field("kind", r.verdict.fastest->kind);
    j.field("from_thread_time_pct", r.verdict.fastest_from_pct);
    j.field("to_thread_time_pct", r.verdict.fastest->thread_time_pct);
    j.end_object();
  } else {
    j.null();
  }
  j.field("line", r.verdict.line);
  j.end_object();
  j.field("svg", r.svg_path);
  j.end_object();
  return j.str();
}

}  // namespace contend::launch
