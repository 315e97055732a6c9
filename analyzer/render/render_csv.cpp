// CSV: one header line, one row per lock (or call site, or thread), raw
// units (nanoseconds, fractions), quoted where needed (RFC 4180).
#include "columns/lock_columns.h"
#include "render/render.h"

#include <fmt/format.h>

namespace contend::analyze {

namespace {

std::string quoted(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string join(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + quoted(cells[i]);
  return out + "\n";
}

}  // namespace

std::string render_csv(const Report& r, const RenderOptions&) {
  std::string out;
  if (r.grouping == Grouping::kLock) {
    std::vector<std::string> header = {"pid", "address", "generation"};
    for (const LockColumn& c : lock_columns())
      if (c.raw) header.emplace_back(c.key);
    out += join(header);
    for (const LockRow& l : r.locks) {
      std::vector<std::string> row = {fmt::format("{}", l.pid), fmt::format("0x{:x}", l.address),
                                      fmt::format("{}", l.generation)};
      for (const LockColumn& c : lock_columns())
        if (c.raw) row.push_back(c.raw(l));
      out += join(row);
    }
  } else if (r.grouping == Grouping::kSite) {
    out += join({"function", "file", "line", "waits", "wait_ns", "max_ns", "share", "lock"});
    for (const SiteRow& s : r.sites)
      out +=
          join({s.key, s.file, fmt::format("{}", s.line), fmt::format("{}", s.count), fmt::format("{}", s.ns),
                fmt::format("{}", s.max_ns), fmt::format("{:.6f}", s.share), s.lock});
  } else {
    out += join({"pid", "tid", "name", "start_ns", "end_ns", "cpu_ns", "lock_wait_ns"});
    for (const ThreadRow& t : r.threads)
      out +=
          join({fmt::format("{}", t.pid), fmt::format("{}", t.tid), t.name, fmt::format("{}", t.start_ns),
                fmt::format("{}", t.end_ns), fmt::format("{}", t.cpu_ns), fmt::format("{}", t.lock_wait_ns)});
  }
  return out;
}

}  // namespace contend::analyze
