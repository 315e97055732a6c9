#include "sweep_command.h"

#include "aggregate/aggregator.h"
#include "child_process.h"
#include "program_setup.h"
#include "read/trace_error.h"
#include "sweep_reading.h"
#include "sweep_render.h"
#include "sweep_svg.h"
#include "sweep_table.h"
#include "trace_files.h"

#include <fmt/format.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace contend::launch {

namespace {

uint64_t clock_ns(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

bool make_directory(const std::string& path) {
  if (mkdir(path.c_str(), 0755) == 0 || errno == EEXIST) {
    struct stat st;
    return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  }
  return false;
}

// A run directory of an earlier sweep: its traces and output go, so that
// what the directory holds is this run's.
void clear_run_directory(const std::string& dir) {
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      bool trace = name.rfind("contend.", 0) == 0 && name.size() > 6 &&
                   name.compare(name.size() - 6, 6, ".trace") == 0;
      if (trace || name == "output.txt") unlink((dir + "/" + name).c_str());
    }
    closedir(d);
  }
}

std::string read_all(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::trunc);
  f << text;
  return static_cast<bool>(f);
}

struct Readers {
  std::optional<std::regex> throughput;
  OpsSpec ops;
};

// The run's traces, aggregated as contend-report would (symbols read, for
// lock names that match across runs).
void measure(SweepRun& run, const std::vector<TraceFile>& traces, uint64_t operations) {
  contend::analyze::Aggregator aggregator;
  try {
    for (const TraceFile& t : traces) {
      aggregator.add_trace(t.path);
      run.traces.push_back(t.path);
    }
  } catch (const contend::analyze::TraceError& e) {
    fmt::print(stderr, "contend: sweep: {}\n", e.what());
  }
  contend::analyze::Report report = aggregator.finish();
  run.figures = contend::analyze::run_figures(report, operations);
  run.locks = contend::analyze::group_locks(report, operations);
}

std::string progress_line(const SweepRun& run, unsigned repeat) {
  std::string out =
      fmt::format("contend: sweep: {} thread{}, run {} of {}: {:.3f} s", run.threads,
                  run.threads == 1 ? "" : "s", run.index, repeat, static_cast<double>(run.wall_ns) / 1e9);
  if (run.throughput > 0) out += fmt::format(", {:.0f}/s", run.throughput);
  return out + fmt::format(", {:.1f}% of thread time waiting\n", run.figures.contention_pct);
}

}  // namespace

int run_sweep(const SweepOptions& o, const char* argv0) {
  auto refuse = [](const Refusal& r) {
    fmt::print(stderr, "contend: {}\n", r.why);
    return r.exit_code;
  };
  Readers readers;
  try {
    if (!o.throughput.empty()) readers.throughput = compile_pattern("--throughput", o.throughput);
    readers.ops = OpsSpec(o.ops);
  } catch (const std::invalid_argument& e) {
    return refuse({std::string("sweep: ") + e.what(), kExitLauncherFailed});
  }
  auto prepared = prepare_program(o.command[0], self_path(argv0));
  if (const Refusal* why = std::get_if<Refusal>(&prepared)) return refuse(*why);
  const PreparedProgram& program = std::get<PreparedProgram>(prepared);
  if (!make_directory(o.output_dir))
    return refuse(
        {fmt::format("sweep: cannot create the directory {}: {}", o.output_dir, std::strerror(errno)),
         kExitLauncherFailed});
  set_child_environment(Options{}, program);  // LD_PRELOAD once; the output changes per run

  SweepResult result;
  result.options = &o;
  int status = 0;
  for (unsigned threads : o.threads) {
    for (unsigned index = 1; index <= o.repeat && status == 0; ++index) {
      std::string dir = fmt::format("{}/threads-{}.run-{}", o.output_dir, threads, index);
      if (!make_directory(dir))
        return refuse(
            {fmt::format("sweep: cannot create {}: {}", dir, std::strerror(errno)), kExitLauncherFailed});
      clear_run_directory(dir);
      setenv("CONTEND_OUTPUT", (dir + "/").c_str(), 1);
      setenv("CONTEND_THREADS", fmt::format("{}", threads).c_str(), 1);
      SweepRun run;
      run.threads = threads;
      run.index = index;
      run.output = dir + "/output.txt";
      int fd = open(run.output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd < 0)
        return refuse({fmt::format("sweep: cannot write {}: {}", run.output, std::strerror(errno)),
                       kExitLauncherFailed});
      std::vector<std::string> argv = o.command;
      std::vector<std::string> args = with_threads({argv.begin() + 1, argv.end()}, threads);
      argv.resize(1);
      argv.insert(argv.end(), args.begin(), args.end());
      uint64_t since = clock_ns(CLOCK_REALTIME);
      uint64_t start = clock_ns(CLOCK_MONOTONIC);
      ChildOutcome child = run_child(program.path, argv, program.info.kind == ProgramKind::kShellText, fd);
      run.wall_ns = clock_ns(CLOCK_MONOTONIC) - start;
      close(fd);
      if (child.spawn_errno != 0)
        return refuse({std::string("cannot start a process: ") + std::strerror(child.spawn_errno),
                       kExitLauncherFailed});
      if (child.exec_errno != 0)
        return refuse({fmt::format("{}: cannot run: {}", program.path, std::strerror(child.exec_errno)),
                       child.exec_errno == ENOENT ? kExitNotFound : kExitCannotRun});
      run.exit_code = child.exit_code;
      std::string output = read_all(run.output);
      uint64_t operations = readers.ops.operations(threads, output);
      measure(run, find_traces(dir + "/", since), operations);
      if (readers.throughput.has_value())
        run.throughput = number_in_output(output, *readers.throughput).value_or(0);
      else if (operations > 0 && run.wall_ns > 0)
        run.throughput = static_cast<double>(operations) * 1e9 / static_cast<double>(run.wall_ns);
      if (!o.quiet) fmt::print(stderr, "{}", progress_line(run, o.repeat));
      if (run.exit_code != 0) {
        fmt::print(stderr,
                   "contend: sweep: {} exited with status {} at {} threads (its output: {}); stopping\n",
                   o.command[0], run.exit_code, threads, run.output);
        status = run.exit_code;
      } else {
        result.runs.push_back(std::move(run));
      }
    }
    if (status != 0) break;
  }
  result.points = sweep_points(result.runs);
  result.verdict = scaling_verdict(result.points);
  result.svg_path = o.output_dir + "/sweep.svg";
  result.json_path = o.output_dir + "/sweep.json";
  if (!write_file(result.svg_path, sweep_svg(result))) result.svg_path.clear();
  std::string json = render_sweep_json(result);
  if (!write_file(result.json_path, json)) result.json_path.clear();
  std::string out = o.json ? json : render_sweep_table(result);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return status;
}

}  // namespace contend::launch
