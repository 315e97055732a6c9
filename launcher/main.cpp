// contend: run a program under libcontend.so.
//
//   contend [OPTIONS] [--] PROGRAM [ARGS...]
//
// Sets LD_PRELOAD to the library's absolute path (after an ASan runtime the
// program needs, before anything already preloaded), refuses programs where
// LD_PRELOAD cannot work and says why a program cannot run, exits with the
// program's status, and says where the traces are, which one holds the work
// and how to report them.
#include "child_process.h"
#include "command_line.h"
#include "exit_codes.h"
#include "program_setup.h"
#include "sweep_command.h"
#include "sweep_command_line.h"
#include "trace_family.h"
#include "trace_files.h"

#include <fmt/format.h>

#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <ctime>

namespace {

using namespace contend::launch;

int refuse(const Refusal& r) {
  fmt::print(stderr, "contend: {}\n", r.why);
  return r.exit_code;
}

uint64_t realtime_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

int run(const Options& o, const char* argv0) {
  auto prepared = prepare_program(o.command[0], self_path(argv0));
  if (const Refusal* why = std::get_if<Refusal>(&prepared)) return refuse(*why);
  const PreparedProgram& program = std::get<PreparedProgram>(prepared);
  set_child_environment(o, program);
  // The library's default, also for an empty value (which it warns about).
  const char* output = getenv("CONTEND_OUTPUT");
  std::string pattern = output != nullptr && *output != '\0' ? output : "trace.bin";
  uint64_t started = realtime_ns();
  ChildOutcome child = run_child(program.path, o.command, program.info.kind == ProgramKind::kShellText);
  if (child.spawn_errno != 0)
    return refuse(
        {std::string("cannot start a process: ") + std::strerror(child.spawn_errno), kExitLauncherFailed});
  if (child.exec_errno != 0)
    return refuse({fmt::format("{}: cannot run: {}", program.path, std::strerror(child.exec_errno)),
                   child.exec_errno == ENOENT ? kExitNotFound : kExitCannotRun});
  if (!o.quiet) fmt::print(stderr, "{}", closing_message(find_traces(pattern, started)));
  return child.exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  CommandLine cl = parse_command_line(argc, argv);
  switch (cl.action) {
    case CommandLine::Action::kHelp: fmt::print("{}", help_text()); return 0;
    case CommandLine::Action::kVersion: fmt::print("contend {}\n", CONTEND_VERSION); return 0;
    case CommandLine::Action::kError: return refuse({cl.error, kExitLauncherFailed});
    case CommandLine::Action::kSweepHelp: fmt::print("{}", sweep_help_text()); return 0;
    case CommandLine::Action::kSweep: return run_sweep(cl.sweep, argv[0]);
    case CommandLine::Action::kRun: break;
  }
  return run(cl.options, argv[0]);
}
