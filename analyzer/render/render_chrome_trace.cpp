// Chrome trace-event JSON (the format chrome://tracing, Perfetto and
// speedscope open): a process per trace, a track per thread with its name,
// each wait a complete slice named by its lock (site, kind and holder as
// arguments), sampled holds on a track of their own beside the thread's
// (their times are estimates: model/timed_decoding.h), the start and end
// of each process as instant events, and the time line's wait as a
// counter. Timestamps in microseconds since the first process started.
#include "render/json_writer.h"
#include "render/render.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace contend::analyze {

namespace {

// Sampled holds of thread T go on track T + kHoldTrack of its process:
// above any pid_max (2^22), within a 32-bit int.
constexpr uint64_t kHoldTrack = 1000000000;

// A JSON string, quotes included.
std::string quote(std::string_view s) {
  return JsonWriter::escape(s);
}

// Microseconds with nanosecond digits, exact.
std::string us(uint64_t ns) {
  return fmt::format("{}.{:03}", ns / 1000, ns % 1000);
}

class TraceWriter {
 public:
  void event(std::string body) {
    out_ += first_ ? "\n" : ",\n";
    out_ += "{" + body + "}";
    first_ = false;
  }
  void metadata(const char* name, uint32_t pid, uint64_t tid, const std::string& args) {
    event(fmt::format(R"("ph":"M","name":"{}","pid":{},"tid":{},"args":{{{}}})", name, pid, tid, args));
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  bool first_ = true;
};

void tracks(const EventRows& e, TraceWriter& w) {
  std::vector<ProcessSpan> by_start = e.processes;
  std::stable_sort(by_start.begin(), by_start.end(),
                   [](const ProcessSpan& a, const ProcessSpan& b) { return a.start_ns < b.start_ns; });
  for (size_t i = 0; i < by_start.size(); ++i) {
    const ProcessSpan& p = by_start[i];
    // Viewers add the pid and tid to these names themselves.
    w.metadata("process_name", p.pid, 0, "\"name\":" + quote(p.command));
    w.metadata("process_sort_index", p.pid, 0, fmt::format("\"sort_index\":{}", i));
    w.metadata("process_labels", p.pid, 0,
               "\"labels\":" +
                   quote(fmt::format("parent pid {}{}", p.ppid, p.complete ? "" : ", trace unfinished")));
    // Where each process begins and ends: a forked family's boundaries.
    w.event(
        fmt::format(R"("ph":"i","s":"p","cat":"process","name":"process start","pid":{},"tid":{},"ts":{},)"
                    R"("args":{{"ppid":{}}})",
                    p.pid, p.pid, us(p.start_ns), p.ppid));
    w.event(fmt::format(R"("ph":"i","s":"p","cat":"process","name":"{}","pid":{},"tid":{},"ts":{})",
                        p.complete ? "process end" : "trace cut", p.pid, p.pid, us(p.end_ns)));
  }
  std::map<std::pair<uint32_t, uint64_t>, bool> holds;  // thread tracks that carry sampled holds
  for (const EventRow& r : e.events)
    if (r.hold) holds[{r.pid, r.tid}] = true;
  for (const ThreadSpan& t : e.threads) {
    std::string name = t.name.empty() ? "thread" : t.name;
    w.metadata("thread_name", t.pid, t.tid, "\"name\":" + quote(name));
    w.metadata("thread_sort_index", t.pid, t.tid, fmt::format("\"sort_index\":{}", t.tid));
    if (holds.count({t.pid, t.tid}) != 0) {
      uint64_t track = t.tid + kHoldTrack;
      w.metadata("thread_name", t.pid, track,
                 "\"name\":" + quote(fmt::format("{} {}: holds, sampled", name, t.tid)));
      w.metadata("thread_sort_index", t.pid, track, fmt::format("\"sort_index\":{}", track));
    }
  }
}

void slices(const EventRows& e, TraceWriter& w) {
  std::vector<std::string> names;  // quoted once
  for (const std::string& n : e.names) names.push_back(quote(n));
  for (const EventRow& r : e.events) {
    if (r.hold) {
      w.event(fmt::format(R"("ph":"X","cat":"hold","name":{},"pid":{},"tid":{},"ts":{},"dur":{},)"
                          R"("args":{{"kind":{},"site":{},"time":"estimated"}})",
                          names[r.lock], r.pid, r.tid + kHoldTrack, us(r.start_ns), us(r.duration_ns),
                          names[r.kind], names[r.site]));
      continue;
    }
    w.event(fmt::format(R"("ph":"X","cat":"{}","name":{},"pid":{},"tid":{},"ts":{},"dur":{},)"
                        R"("args":{{"kind":{},"site":{},"holder_tid":{}{}}})",
                        names[r.kind] == "\"condition\"" ? "condition" : "wait", names[r.lock], r.pid, r.tid,
                        us(r.start_ns), us(r.duration_ns), names[r.kind], names[r.site], r.owner_tid,
                        r.timed_out ? R"(,"acquired":false)" : ""));
  }
}

// The time line's lock wait as a counter: threads waiting, on average.
void counters(const Report& r, TraceWriter& w) {
  if (r.slices.processes.empty()) return;
  uint32_t pid = r.slices.processes.front().pid;
  for (const IntervalRow& i : r.timeline.intervals)
    w.event(fmt::format(
        R"("ph":"C","name":"threads waiting for locks","pid":{},"ts":{},"args":{{"waiting":{:.3f}}})", pid,
        us(i.start_ns), i.waiting()));
}

}  // namespace

std::string render_chrome_trace(const Report& r, const RenderOptions&) {
  TraceWriter w;
  tracks(r.slices, w);
  slices(r.slices, w);
  counters(r, w);
  const Summary& s = r.summary;
  std::string other = fmt::format(
      R"("program":{},"wait_ns":{},"contended":{},"dropped_events":{},"incomplete_traces":{},)"
      R"("events_omitted":{},"events_omitted_max_ns":{},"note":{})",
      quote(s.program), s.wait_ns, s.counts.contended, s.dropped_events, s.incomplete_traces,
      r.slices.omitted, r.slices.omitted_max_ns,
      quote("times in microseconds since the first process started; sampled holds are placed at an estimated "
            "time (within one flush period)"));
  return "{\"displayTimeUnit\":\"ns\",\"otherData\":{" + other + "},\"traceEvents\":[" + w.take() + "\n]}\n";
}

}  // namespace contend::analyze
