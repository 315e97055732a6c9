#include "aggregate/aggregator.h"
#include "cli/report_options.h"
#include "columns/lock_columns.h"
#include "read/trace_error.h"
#include "render/render_dump.h"

#include <fmt/format.h>

#include <glob.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace contend::analyze {

namespace {

// A pattern the shell did not expand (quoted, or from a script) is expanded
// here; anything else is taken as a file name.
std::vector<std::string> expand(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const std::string& a : args) {
    struct stat st;
    if (a.find_first_of("*?[") != std::string::npos && stat(a.c_str(), &st) != 0) {
      glob_t g;
      if (glob(a.c_str(), 0, nullptr, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; ++i) {
          std::string p = g.gl_pathv[i];
          if (p.size() < 4 || p.compare(p.size() - 4, 4, ".old") != 0) out.push_back(p);
        }
        globfree(&g);
        continue;
      }
      globfree(&g);
      throw TraceError(a, "no file matches this pattern");
    }
    out.push_back(a);
  }
  return out;
}

// The ranking a --sort name asks for. Throws std::invalid_argument.
std::function<double(const LockRow&)> rank_by(const std::string& sort) {
  const Column<LockRow>* key = sort_column(lock_columns(), sort);
  if (key == nullptr) {
    std::string keys;
    for (const std::string& k : sort_keys(lock_columns())) keys += (keys.empty() ? "" : ", ") + k;
    throw std::invalid_argument(fmt::format("unknown sort key '{}' (one of: {})", sort, keys));
  }
  return [key](const LockRow& l) { return key->sort_value(l); };
}

void write(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace

std::vector<std::string> expand_traces(const std::vector<std::string>& args) {
  return expand(args);
}

uint64_t parse_duration_ns(const std::string& text) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  std::string unit = end != nullptr ? end : "";
  if (end == text.c_str() || v < 0) throw std::invalid_argument("'" + text + "' is not a duration");
  double scale = unit.empty() || unit == "ns" ? 1
                 : unit == "us"               ? 1e3
                 : unit == "ms"               ? 1e6
                 : unit == "s"                ? 1e9
                                              : -1;
  if (scale < 0) throw std::invalid_argument("'" + text + "': the unit must be ns, us, ms or s");
  return static_cast<uint64_t>(v * scale);
}

void parse_window(const std::string& from, const std::string& to, const std::string& interval,
                  AggregateOptions& options) {
  if (!from.empty()) options.decode.from_ns = parse_duration_ns(from);
  if (!to.empty()) options.decode.to_ns = parse_duration_ns(to);
  if (options.decode.to_ns <= options.decode.from_ns)
    throw std::invalid_argument("--to must come after --from");
  if (!interval.empty()) {
    options.interval_ns = parse_duration_ns(interval);
    if (options.interval_ns == 0) throw std::invalid_argument("--interval must be longer than 0");
  }
}

size_t format_index(const std::string& name) {
  std::string names;
  for (size_t i = 0; i < output_formats().size(); ++i) {
    std::string_view known = output_formats()[i].name;
    if (known.size() == name.size() &&
        std::equal(known.begin(), known.end(), name.begin(),
                   [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
      return i;
    names += (i == 0 ? "" : ", ") + std::string(known);
  }
  throw std::invalid_argument(fmt::format("unknown format '{}' (one of: {})", name, names));
}

size_t terminal_columns() {
  constexpr size_t kDefault = 120, kNarrowest = 40;
  if (const char* env = std::getenv("COLUMNS"); env != nullptr && *env != '\0') {
    char* end = nullptr;
    unsigned long n = std::strtoul(env, &end, 10);
    if (end != nullptr && *end == '\0' && n > 0) return std::max<size_t>(n, kNarrowest);
  }
  winsize ws{};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return std::max<size_t>(ws.ws_col, kNarrowest);
  return kDefault;
}

int run_report(ReportOptions options) {
  try {
    std::vector<std::string> traces = expand(options.traces);
    if (options.dump) {
      for (const std::string& path : traces) dump_trace(path, stdout);
      return kExitOk;
    }
    const OutputFormat& format = output_formats().at(options.format);
    if (format.needs_stacks && options.aggregate.folded == FoldedWeight::kNone)
      options.aggregate.folded = FoldedWeight::kWait;
    if (format.needs_profile) options.aggregate.profile = true;
    if (format.needs_timeline || options.aggregate.grouping == Grouping::kTime)
      options.aggregate.timeline = true;
    if (format.needs_events) options.aggregate.decode.max_events = options.max_events;
    Aggregator aggregator(options.aggregate);
    for (const std::string& path : traces) aggregator.add_trace(path);
    if (aggregator.empty() && options.aggregate.only_pid != 0)
      throw TraceError(fmt::format("pid {}", options.aggregate.only_pid),
                       "no trace of this process among the files given");
    options.selection.rank_by = rank_by(options.sort);
    Report report = aggregator.finish(options.selection);
    report.summary.operations = options.operations;
    uint32_t tid = options.aggregate.decode.only_tid;
    if (tid != 0 && std::none_of(report.threads.begin(), report.threads.end(),
                                 [tid](const ThreadRow& t) { return t.tid == tid; }))
      throw TraceError(fmt::format("thread {}", tid), "no such thread in the traces given");
    for (const std::string& w : report.warnings) fmt::print(stderr, "contend-report: warning: {}\n", w);
    write(format.render(report, options.render));
    std::vector<std::string> breaches = evaluate(options.fail_if, report);
    for (const std::string& b : breaches) fmt::print(stderr, "contend-report: {}\n", b);
    return breaches.empty() ? kExitOk : kExitBudgetBreached;
  } catch (const TraceError& e) {
    std::fflush(stdout);
    fmt::print(stderr, "contend-report: {}\n", e.what());
    return kExitBadTrace;
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "contend-report: {}\n", e.what());
    return kExitUsage;
  }
}

}  // namespace contend::analyze
