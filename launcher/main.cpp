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
#include "elf_inspect.h"
#include "exit_codes.h"
#include "preload_list.h"
#include "program_lookup.h"
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

std::string self_path(const char* argv0) {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string(argv0);
}

uint64_t realtime_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

void set_child_environment(const Options& o, const ProgramInfo& info, const std::string& library) {
  std::string asan = asan_runtime_for(info);
  setenv("LD_PRELOAD", make_ld_preload(library, asan, getenv("LD_PRELOAD")).c_str(), 1);
  if (asan.empty()) {
    for (const auto& n : info.needed) {
      if (n.rfind("libasan.so", 0) == 0) {
        // Runtime not found where expected: let ASan accept a preload ahead of it.
        std::string opts = getenv("ASAN_OPTIONS") != nullptr ? getenv("ASAN_OPTIONS") : "";
        setenv("ASAN_OPTIONS", (opts.empty() ? "" : opts + ":").append("verify_asan_link_order=0").c_str(),
               1);
      }
    }
  }
  if (!o.output.empty()) setenv("CONTEND_OUTPUT", o.output.c_str(), 1);
  if (o.stats) setenv("CONTEND_STATS", "1", 1);
  if (o.no_children) setenv("CONTEND_CHILDREN", "0", 1);
  if (o.all_futexes) setenv("CONTEND_FUTEX", "all", 1);
}

int run(const Options& o, const char* argv0) {
  Lookup found = find_program(o.command[0]);
  if (found.path.empty()) return refuse(found.refusal);
  ProgramInfo info;
  try {
    info = inspect_program(found.path);
  } catch (const std::exception& e) {
    return refuse({e.what(), kExitCannotRun});
  }
  if (std::optional<Refusal> why = check_runnable(info)) return refuse(*why);
  if (info.is_static)
    return refuse({info.path + " is statically linked: LD_PRELOAD cannot reach it, nothing would be recorded",
                   kExitLauncherFailed});
  if (info.is_setuid)
    return refuse(
        {info.path + " is setuid/setgid: the loader ignores LD_PRELOAD for it, nothing would be recorded",
         kExitLauncherFailed});
  std::string library = find_library(self_path(argv0));
  if (library.empty())
    return refuse(
        {"cannot find libcontend.so next to this launcher (set CONTEND_LIBRARY)", kExitLauncherFailed});

  set_child_environment(o, info, library);
  // The library's default, also for an empty value (which it warns about).
  const char* output = getenv("CONTEND_OUTPUT");
  std::string pattern = output != nullptr && *output != '\0' ? output : "trace.bin";
  uint64_t started = realtime_ns();
  ChildOutcome child = run_child(found.path, o.command, info.kind == ProgramKind::kShellText);
  if (child.spawn_errno != 0)
    return refuse(
        {std::string("cannot start a process: ") + std::strerror(child.spawn_errno), kExitLauncherFailed});
  if (child.exec_errno != 0)
    return refuse({fmt::format("{}: cannot run: {}", found.path, std::strerror(child.exec_errno)),
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
    case CommandLine::Action::kRun: break;
  }
  return run(cl.options, argv[0]);
}
