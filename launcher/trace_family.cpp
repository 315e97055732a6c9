#include "trace_family.h"

#include "aggregate/aggregator.h"
#include "columns/units.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace contend::launch {

namespace {

constexpr size_t kMaxListed = 10;
constexpr size_t kMaxCommand = 48;

std::string shell_quote(const std::string& s) {
  if (s.find_first_of(" \t\n'\"\\$`*?[]{}()<>|&;!#~") == std::string::npos && !s.empty()) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string base_name(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string shortened(std::string s) {
  if (s.size() > kMaxCommand) s = s.substr(0, kMaxCommand - 3) + "...";
  return s;
}

auto activity_key(const TraceActivity& a) {
  return std::make_tuple(a.acquisitions, a.wait_ns, a.contended);
}

std::string activity_text(const TraceActivity& a) {
  if (!a.error.empty()) return "unreadable: " + a.error;
  if (a.acquisitions == 0) return "no lock activity";
  return fmt::format("{} acquisitions, {} contended, {} waited", analyze::format_count(a.acquisitions),
                     analyze::format_count(a.contended), analyze::format_duration(a.wait_ns));
}

std::string all_paths(const std::vector<TraceFile>& traces) {
  std::string list;
  for (const auto& t : traces) list += " " + shell_quote(t.path);
  return list;
}

}  // namespace

TraceActivity summarize_trace(const TraceFile& file) {
  TraceActivity a;
  a.file = file;
  try {
    analyze::AggregateOptions options;
    options.symbolize = false;
    analyze::Aggregator aggregator(options);
    aggregator.add_trace(file.path);
    analyze::Report report = aggregator.finish();
    a.acquisitions = report.summary.counts.acquisitions;
    a.contended = report.summary.counts.contended;
    a.wait_ns = report.summary.wait_ns;
    if (!report.processes.empty()) {
      const analyze::ProcessSummary& p = report.processes.front();
      // The program by its name, its arguments in full: what tells images apart.
      for (const std::string& word : p.argv)
        a.command += a.command.empty() ? shell_quote(base_name(word)) : " " + shell_quote(word);
      a.name = base_name(p.exe_path);
      if (a.command.empty()) a.command = a.name;
    }
  } catch (const std::exception& e) {
    a.error = e.what();
  }
  return a;
}

std::string closing_message(const std::vector<TraceFile>& traces) {
  if (traces.empty()) return "contend: no trace was written (see the messages above)\n";
  if (traces.size() == 1) {
    std::string path = shell_quote(traces[0].path);
    return fmt::format("contend: 1 trace: {}\ncontend: report with: contend-report {}\n", path, path);
  }
  std::vector<TraceActivity> family;
  for (const TraceFile& t : traces) family.push_back(summarize_trace(t));
  auto busiest = std::max_element(family.begin(), family.end(), [](const auto& a, const auto& b) {
    return activity_key(a) < activity_key(b);
  });
  // A few processes: all of them, wrappers included, to show the chain.
  // Many (an interpreter shim, a build): the busiest that recorded
  // something, in start order.
  std::vector<const TraceActivity*> listed;
  for (const auto& a : family)
    if (family.size() <= kMaxListed || a.acquisitions > 0 || !a.error.empty()) listed.push_back(&a);
  if (listed.size() > kMaxListed) {
    std::vector<const TraceActivity*> ranked = listed;
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto* a, const auto* b) { return activity_key(*b) < activity_key(*a); });
    ranked.resize(kMaxListed);
    std::erase_if(listed,
                  [&](const auto* a) { return std::find(ranked.begin(), ranked.end(), a) == ranked.end(); });
  }
  size_t path_width = 0, pid_width = 0, command_width = 0;
  for (const auto* a : listed) {
    path_width = std::max(path_width, shell_quote(a->file.path).size());
    pid_width = std::max(pid_width, std::to_string(a->file.pid).size());
    command_width = std::max(command_width, shortened(a->command).size());
  }
  std::string out = fmt::format("contend: {} traces, one per process image:\n", family.size());
  for (const auto* a : listed)
    out += fmt::format("contend:   {:<{}}  pid {:<{}}  {:<{}}  {}\n", shell_quote(a->file.path), path_width,
                       a->file.pid, pid_width, shortened(a->command), command_width, activity_text(*a));
  size_t active =
      std::count_if(family.begin(), family.end(), [](const auto& a) { return a.acquisitions > 0; });
  size_t active_listed =
      std::count_if(listed.begin(), listed.end(), [](const auto* a) { return a->acquisitions > 0; });
  if (size_t more = family.size() - listed.size(); more > 0) {
    out += active == active_listed
               ? fmt::format("contend:   ... and {} more, without lock activity\n", more)
               : fmt::format("contend:   ... and {} more, {} of them with less lock activity\n", more,
                             active - active_listed);
  }
  if (busiest->acquisitions > 0) {
    out += fmt::format("contend: most lock activity: pid {} ({}): contend-report {}\n", busiest->file.pid,
                       busiest->name, shell_quote(busiest->file.path));
  } else {
    out += "contend: no lock activity was recorded in any of them\n";
  }
  // Traces without lock activity add nothing to a report's tables: left out
  // of the command when there are many.
  if (family.size() > kMaxListed && active > 0) {
    std::string paths;
    for (const auto& a : family)
      if (a.acquisitions > 0) paths += " " + shell_quote(a.file.path);
    out +=
        fmt::format("contend: report those with lock activity ({}) with: contend-report{}\n", active, paths);
  } else {
    out += fmt::format("contend: report all of them with: contend-report{}\n", all_paths(traces));
  }
  return out;
}

}  // namespace contend::launch
