#include "command_line.h"

#include "exit_codes.h"
#include "sweep_command_line.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <string_view>
#include <vector>

namespace contend::launch {

namespace {

constexpr std::string_view kUsage = "contend [OPTIONS] [--] PROGRAM [ARGS...]";

// CLI11's prefix mode stops at the first word that is not one of our
// options and leaves it and everything after in remaining(), untouched; a
// "--" that ended our options is left there too.
std::vector<std::string> program_words(CLI::App& app) {
  std::vector<std::string> rest = app.remaining();
  if (!rest.empty() && rest.front() == "--") rest.erase(rest.begin());
  return rest;
}

}  // namespace

CommandLine parse_command_line(int argc, const char* const* argv) {
  CommandLine cl;
  bool help = false;
  bool version = false;
  CLI::App app{"contend: run a program under the lock-contention profiler", "contend"};
  app.set_help_flag();  // -h/--help after the program's name are the program's
  app.add_flag("-h,--help", help);
  app.add_flag("--version", version);
  app.add_option("-o,--output", cl.options.output);
  app.add_flag("--stats", cl.options.stats);
  app.add_flag("--no-children", cl.options.no_children);
  app.add_flag("--all-futexes", cl.options.all_futexes);
  app.add_flag("-q,--quiet", cl.options.quiet);
  // `contend sweep ...`; a program called sweep runs as `contend -- sweep` or `contend ./sweep`.
  SweepCommandLine sweep_cl;
  CLI::App* sweep = add_sweep_command(app, sweep_cl);
  app.prefix_command();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    cl.action = CommandLine::Action::kError;
    cl.error = fmt::format("{} (see --help)", e.what());
    return cl;
  }
  if (sweep->parsed()) {
    cl.error = finish_sweep_command(*sweep, app.remaining(), sweep_cl);
    cl.action = !cl.error.empty() ? CommandLine::Action::kError
                : sweep_cl.help   ? CommandLine::Action::kSweepHelp
                                  : CommandLine::Action::kSweep;
    cl.sweep = sweep_cl.options;
    return cl;
  }
  bool ended_by_dashes = !app.remaining().empty() && app.remaining().front() == "--";
  cl.options.command = program_words(app);
  const std::vector<std::string>& command = cl.options.command;
  if (!ended_by_dashes && !command.empty() && command.front().size() > 1 && command.front()[0] == '-') {
    // Prefix mode hands an option it does not know to the program.
    cl.action = CommandLine::Action::kError;
    cl.error = fmt::format("unknown option {} (contend's options go before the program's name; see --help)",
                           command.front());
  } else if (app.count("--output") > 0 && cl.options.output.empty()) {
    cl.action = CommandLine::Action::kError;
    cl.error = "option --output needs a path, not an empty word";
  } else if (help) {
    cl.action = CommandLine::Action::kHelp;
  } else if (version) {
    cl.action = CommandLine::Action::kVersion;
  } else if (command.empty()) {
    cl.action = CommandLine::Action::kError;
    cl.error = fmt::format("no program given (usage: {})", kUsage);
  }
  return cl;
}

std::string help_text() {
  return fmt::format(
      R"(contend: run a program under the lock-contention profiler

usage: {}
       contend sweep [--threads 1,2,4,8] [--repeat N] [OPTIONS] -- PROGRAM [ARGS...]

Options end at PROGRAM (or at --): every word after it is passed to the
program unchanged, even words that look like options.

  -o, --output PATH  where traces go (CONTEND_OUTPUT). A file: %p becomes the
                     pid; other processes of the run write PATH.PID. A
                     directory (existing, or PATH ending in /): every process
                     writes DIR/contend.PID.trace
      --stats        print the top-5 hotspots to stderr when the program exits
      --no-children  do not profile child processes (CONTEND_CHILDREN=0)
      --all-futexes  also every futex wait inside libraries: glibc's malloc and
                     stdio locks, OpenMP, barriers (CONTEND_FUTEX=all;
                     docs/FUTEX_WAITS.md)
  -q, --quiet        do not print where the traces are
  -h, --help         print this help (contend sweep --help: the sweep's)
      --version      print the version

After the run, contend names the traces written, one per process image, and
when there are several, the one with the most lock activity.

Exit status: the program's own (128 + N when signal N ended it), or
  {}  contend failed: a bad option, a static or setuid/setgid program (LD_PRELOAD
       cannot reach it), no libcontend.so
  {}  PROGRAM was found but cannot run: not executable, a directory, a binary
       for another system, a file contend cannot read
  {}  PROGRAM was not found: not in PATH, no such file, or its interpreter (#!)
       or loader is missing
)",
      kUsage, kExitLauncherFailed, kExitCannotRun, kExitNotFound);
}

}  // namespace contend::launch
