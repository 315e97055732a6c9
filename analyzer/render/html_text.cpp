#include "render/html_text.h"

#include "render/json_writer.h"

#include <unordered_map>

namespace contend::analyze {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

// Frames by index: deep stacks repeat the same few names.
void write_stacks(JsonWriter& j, const Report& r) {
  std::vector<std::string_view> frames;
  std::unordered_map<std::string_view, uint64_t> index;
  auto id = [&](std::string_view f) {
    auto [it, added] = index.try_emplace(f, frames.size());
    if (added) frames.push_back(f);
    return it->second;
  };
  j.key("stacks").begin_array();
  for (const LockRow& l : r.locks) {
    for (const FoldedStack& s : l.folded) {
      j.begin_object().key("f").begin_array();
      for (const std::string& f : s.frames) j.value(id(f));
      j.end_array().field("w", s.weight).end_object();
    }
  }
  j.end_array();
  j.key("frames").begin_array();
  for (std::string_view f : frames) j.value(f);
  j.end_array();
}

void write_timeline(JsonWriter& j, const Timeline& t) {
  j.key("timeline").begin_object();
  j.field("interval_ns", t.interval_ns).field("from_ns", t.from_ns).field("to_ns", t.to_ns);
  j.key("intervals").begin_array();
  for (const IntervalRow& i : t.intervals) {
    j.begin_object();
    j.field("start_ns", i.start_ns).field("end_ns", i.end_ns).field("wait_ns", i.wait_ns);
    j.field("contended", i.contended).field("acquisitions", i.acquisitions).field("threads", i.threads);
    j.field("top_lock", i.top_lock).field("phase", i.phase);
    j.end_object();
  }
  j.end_array();
  j.key("phases").begin_array();
  for (const PhaseRow& p : t.phases) {
    j.begin_object();
    j.field("name", p.name).field("start_ns", p.start_ns).field("end_ns", p.end_ns);
    j.field("wait_ns", p.wait_ns).field("threads", p.threads).field("top_lock", p.top_lock);
    j.end_object();
  }
  j.end_array();
  j.end_object();
}

}  // namespace

std::string html_report_data(const Report& r) {
  JsonWriter j;
  j.begin_object();
  write_stacks(j, r);
  write_timeline(j, r.timeline);
  j.end_object();
  std::string out;
  for (char c : j.str()) {
    if (c == '<')
      out += "\\u003c";
    else
      out += c;
  }
  return out;
}

}  // namespace contend::analyze
