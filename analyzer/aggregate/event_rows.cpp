#include "aggregate/event_rows.h"

#include "symbolize/call_site.h"

#include <fmt/format.h>

#include <string>
#include <unordered_map>

namespace contend::analyze {

namespace {

// Each distinct text once; rows refer to it by index.
class NameTable {
 public:
  explicit NameTable(std::vector<std::string>& names) : names_(names) {}
  uint32_t of(const std::string& s) {
    auto [it, added] = index_.try_emplace(s, static_cast<uint32_t>(names_.size()));
    if (added) names_.push_back(s);
    return it->second;
  }

 private:
  std::vector<std::string>& names_;
  std::unordered_map<std::string, uint32_t> index_;
};

std::string command_of(const ProcessInfo& p) {
  std::string cmd = p.argv.empty() ? p.exe_path : p.argv.front();
  size_t slash = cmd.rfind('/');
  return slash == std::string::npos ? cmd : cmd.substr(slash + 1);
}

void add_trace(const TraceTime& tt, const std::unordered_map<LockKey, std::string, KeyHash>& lock_names,
               Symbolizer& symbolizer, LockWrappers& wrappers, NameTable& table, EventRows& out) {
  const DecodedTrace& p = *tt.trace;
  uint32_t pid = p.process.pid;
  out.processes.push_back(
      ProcessSpan{pid, p.process.ppid, command_of(p.process), tt.start(), tt.end(), p.process.complete});
  uint64_t end_ticks = p.end_ticks != 0 ? p.end_ticks : p.last_ticks;
  for (const auto& [tid, t] : p.threads) {
    uint64_t start = t.start_ticks != 0 ? tt.at(t.start_ticks) : tt.start();
    out.threads.push_back(
        ThreadSpan{pid, tid, t.name, start, tt.at(t.end_ticks != 0 ? t.end_ticks : end_ticks)});
  }
  CallSites sites(p, symbolizer, wrappers);
  std::unordered_map<uint64_t, uint32_t> site_names[2];  // by stack id (waits), by pc (holds)
  for (const TimedEvent& e : p.events) {
    EventRow row;
    row.pid = pid;
    row.tid = e.tid;
    row.start_ns = tt.at(e.start);
    row.duration_ns = p.clock.to_ns(e.duration);
    auto name = lock_names.find(LockKey{e.lock, e.generation, e.kind});
    row.lock = table.of(name != lock_names.end() ? name->second : fmt::format("0x{:x}", e.lock));
    row.kind = table.of(std::string(format::wait_kind_name(static_cast<format::WaitKind>(e.kind))));
    row.hold = e.type == TimedEvent::kHold;
    auto [site, added] = site_names[row.hold].try_emplace(e.where, 0);
    if (added)
      site->second = table.of(row.hold ? sites.of_pc(e.where, e.start).label()
                                       : sites.of_stack(e.where, e.start).label());
    row.site = site->second;
    row.owner_tid = e.owner_tid;
    row.timed_out = (e.flags & (format::kWaitTimedOut | format::kWaitInterrupted)) != 0;
    out.events.push_back(row);
  }
  out.omitted += p.events_omitted;
  out.omitted_max_ns = std::max(out.omitted_max_ns, p.clock.to_ns(p.events_omitted_max));
}

}  // namespace

EventRows build_event_rows(const std::vector<TraceTime>& traces, const LockNames& names,
                           Symbolizer& symbolizer, LockWrappers& wrappers) {
  EventRows out;
  NameTable table(out.names);
  for (size_t k = 0; k < traces.size(); ++k) add_trace(traces[k], names[k], symbolizer, wrappers, table, out);
  std::stable_sort(out.events.begin(), out.events.end(),
                   [](const EventRow& a, const EventRow& b) { return a.start_ns < b.start_ns; });
  return out;
}

}  // namespace contend::analyze
