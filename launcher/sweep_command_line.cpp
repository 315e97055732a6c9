#include "sweep_command_line.h"

#include <fmt/format.h>

#include <sched.h>
#include <cstdlib>

namespace contend::launch {

namespace {

// "1,2,4,8": positive and increasing, so that "where scaling stops" reads
// along the list.
std::string parse_counts(const std::string& text, std::vector<unsigned>& out) {
  size_t at = 0;
  while (at <= text.size()) {
    size_t comma = text.find(',', at);
    std::string word = text.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    char* end = nullptr;
    unsigned long n = std::strtoul(word.c_str(), &end, 10);
    if (word.empty() || *end != '\0' || n == 0 || n > 100000)
      return fmt::format("--threads: '{}' is not a thread count (1 to 100000)", word);
    if (!out.empty() && n <= out.back())
      return fmt::format("--threads: counts must increase ('{}' after {})", word, out.back());
    out.push_back(static_cast<unsigned>(n));
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  return {};
}

}  // namespace

std::vector<unsigned> default_thread_counts() {
  cpu_set_t set;
  unsigned cpus = sched_getaffinity(0, sizeof(set), &set) == 0 ? static_cast<unsigned>(CPU_COUNT(&set)) : 1;
  std::vector<unsigned> out;
  for (unsigned n = 1; n <= 2 * cpus; n *= 2) out.push_back(n);
  return out;
}

CLI::App* add_sweep_command(CLI::App& app, SweepCommandLine& cl) {
  CLI::App* sweep = app.add_subcommand("sweep", "run PROGRAM at several thread counts and compare");
  sweep->set_help_flag();
  sweep->add_flag("-h,--help", cl.help);
  sweep->add_option("--threads", cl.threads);
  sweep->add_option("--repeat", cl.options.repeat)->check(CLI::Range(1, 1000));
  sweep->add_option("--throughput", cl.options.throughput);
  sweep->add_option("--ops", cl.options.ops);
  sweep->add_option("-o,--output", cl.options.output_dir);
  sweep->add_option("-f,--format", cl.format)->check(CLI::IsMember({"table", "json"}));
  sweep->add_flag("-q,--quiet", cl.options.quiet);
  sweep->prefix_command();
  return sweep;
}

std::string finish_sweep_command(CLI::App& sweep, const std::vector<std::string>& after_dashes,
                                 SweepCommandLine& cl) {
  // CLI11 hands the words after "--" (without it) to the parent command;
  // the words from the program's name on, without "--", stay here.
  std::vector<std::string> rest = sweep.remaining();
  bool ended_by_dashes = rest.empty() && !after_dashes.empty();
  if (ended_by_dashes) rest = after_dashes;
  if (!ended_by_dashes && !rest.empty() && rest.front().size() > 1 && rest.front()[0] == '-')
    return fmt::format("unknown sweep option {} (see contend sweep --help)", rest.front());
  if (cl.help) return {};
  if (rest.empty()) return "sweep: no program given (usage: contend sweep [OPTIONS] -- PROGRAM [ARGS...])";
  cl.options.command = rest;
  cl.options.json = cl.format == "json";
  if (cl.options.output_dir.empty()) return "sweep: --output needs a directory, not an empty word";
  if (cl.threads.empty()) {
    cl.options.threads = default_thread_counts();
    return {};
  }
  return parse_counts(cl.threads, cl.options.threads);
}

std::string sweep_help_text() {
  return R"(contend sweep: run a program under the profiler at several thread counts

usage: contend sweep [OPTIONS] -- PROGRAM [ARGS...]

"{threads}" in ARGS, and CONTEND_THREADS in the program's environment, are
each count in turn. Each run keeps its traces and its output (stdout and
stderr, not shown) in DIR/threads-N.run-R/; the scaling table goes to
stdout, sweep.json and sweep.svg (a plot of throughput and contention) to DIR.

  --threads LIST     thread counts, increasing (default 1,2,4... up to 2 x CPUs)
  --repeat N         runs per count; the table shows medians and their spread
  --throughput REGEX the program's throughput, read from its output (the last
                     match; the first group if the pattern has one)
  --ops N|EXPR|REGEX operations per run, for throughput (ops / wall time) and
                     acquisitions per operation: a count, an expression such
                     as 100000*{threads}, or a REGEX read from the output
  -o, --output DIR   where runs go (default contend-sweep; created)
  -f, --format json  the table as JSON on stdout (DIR/sweep.json is always written)
  -q, --quiet        no progress lines on stderr
  -h, --help         print this help

Without --throughput or --ops, speedup is wall time at the first count over
wall time at each count: the program is taken to do the same work at every
count. Exit status: 0, the program's own when a run fails (the sweep stops
there), or 125 to 127 as for contend.
)";
}

}  // namespace contend::launch
