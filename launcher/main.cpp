// contend: run a program under libcontend.so.
//
//   contend [-o FILE] [--stats] [--no-children] [--] PROGRAM [ARGS...]
//
// Sets LD_PRELOAD to the library's absolute path (after an ASan runtime the
// program needs, before anything already preloaded), refuses programs where
// LD_PRELOAD cannot work, exits with the program's status, and says where
// the traces are and how to report them.
#include "elf_inspect.h"
#include "preload_list.h"
#include "trace_files.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <cstring>
#include <ctime>

namespace {

using namespace contend::launch;

// Exit codes of the launcher itself, as env(1) and timeout(1) use them.
constexpr int kExitLauncherFailed = 125;
constexpr int kExitNotExecutable = 126;
constexpr int kExitNotFound = 127;

pid_t g_child = 0;

void forward_signal(int sig) {
  if (g_child > 0) kill(g_child, sig);
}

struct Options {
  std::string output;
  bool stats = false;
  bool no_children = false;
  bool all_futexes = false;
  bool quiet = false;
  std::vector<std::string> command;
};

int refuse(const std::string& why, int code) {
  fmt::print(stderr, "contend: {}\n", why);
  return code;
}

std::string self_path(const char* argv0) {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string(argv0);
}

std::string shell_quote(const std::string& s) {
  if (s.find_first_of(" \t\n'\"\\$`*?[]{}()<>|&;!#~") == std::string::npos && !s.empty()) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

int run(const Options& o, const char* argv0) {
  std::string program = find_program(o.command[0]);
  if (program.empty()) return refuse(o.command[0] + ": command not found", kExitNotFound);
  ProgramInfo info;
  try {
    info = inspect_program(program);
  } catch (const std::exception& e) {
    return refuse(e.what(), kExitNotExecutable);
  }
  if (info.is_static)
    return refuse(program + " is statically linked: LD_PRELOAD cannot reach it, nothing would be recorded",
                  kExitLauncherFailed);
  if (info.is_setuid)
    return refuse(
        program + " is setuid/setgid: the loader ignores LD_PRELOAD for it, nothing would be recorded",
        kExitLauncherFailed);
  std::string library = find_library(self_path(argv0));
  if (library.empty())
    return refuse("cannot find libcontend.so next to this launcher (set CONTEND_LIBRARY)",
                  kExitLauncherFailed);

  std::string asan = asan_runtime_for(info);
  setenv("LD_PRELOAD", make_ld_preload(library, asan, getenv("LD_PRELOAD")).c_str(), 1);
  if (!info.needed.empty() && asan.empty()) {
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
  std::string pattern = getenv("CONTEND_OUTPUT") != nullptr ? getenv("CONTEND_OUTPUT") : "trace.bin";

  time_t started = time(nullptr);
  std::vector<char*> argv;
  for (const auto& a : o.command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t child = fork();
  if (child < 0) return refuse(std::string("fork: ") + std::strerror(errno), kExitLauncherFailed);
  if (child == 0) {
    execv(program.c_str(), argv.data());
    fmt::print(stderr, "contend: {}: {}\n", program, std::strerror(errno));
    _exit(kExitNotExecutable);
  }
  g_child = child;
  // Terminal signals reach the whole process group; others are passed on.
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  signal(SIGTERM, forward_signal);
  signal(SIGHUP, forward_signal);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

  if (!o.quiet) {
    std::vector<std::string> traces = find_traces(pattern, started);
    if (traces.empty()) {
      fmt::print(stderr, "contend: no trace was written (see the messages above)\n");
    } else {
      std::string list;
      for (const auto& t : traces) list += " " + shell_quote(t);
      fmt::print(stderr, "contend: {} trace{}:{}\ncontend: report with: contend-report{}\n", traces.size(),
                 traces.size() == 1 ? "" : "s", list, list);
    }
  }
  return code;
}

}  // namespace

// prefix_command() hands an unknown option to the program (`contend --bogus
// ls` would run `ls --bogus`): our options come first, so anything that
// looks like an option before the program's name is a mistake.
std::string unknown_option(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--" || a.empty() || a[0] != '-') return "";
    if (a == "-o" || a == "--output") {
      ++i;  // its value
    } else if (a.rfind("--output=", 0) != 0 && a.rfind("-o", 0) != 0 && a != "--stats" &&
               a != "--no-children" && a != "--all-futexes" && a != "-q" && a != "--quiet" &&
               a != "--version" && a != "-h" && a != "--help") {
      return a;
    }
  }
  return "";
}

int main(int argc, char** argv) {
  Options o;
  if (std::string bad = unknown_option(argc, argv); !bad.empty()) {
    fmt::print(stderr, "contend: unknown option {} (see --help)\n", bad);
    return kExitLauncherFailed;
  }
  CLI::App app{"contend: run a program under the lock-contention profiler", "contend"};
  app.set_version_flag("--version", std::string("contend ") + CONTEND_VERSION);
  app.add_option("-o,--output", o.output, "trace path (CONTEND_OUTPUT); %p becomes the pid");
  app.add_flag("--stats", o.stats, "print the top-5 hotspots to stderr when the program exits");
  app.add_flag("--no-children", o.no_children, "do not profile child processes (CONTEND_CHILDREN=0)");
  app.add_flag("--all-futexes", o.all_futexes,
               "also every futex wait inside libraries: glibc's malloc and stdio locks, OpenMP, barriers "
               "(CONTEND_FUTEX=all; docs/FUTEX_WAITS.md)");
  app.add_flag("-q,--quiet", o.quiet, "do not print where the traces are");
  app.add_option("command", o.command, "the program and its arguments")->required();
  // Everything from the program's name on belongs to the program.
  app.prefix_command();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "contend: {} (see --help)\n", e.what());
    return kExitLauncherFailed;
  }
  std::vector<std::string> rest = app.remaining();
  o.command.insert(o.command.end(), rest.begin(), rest.end());
  if (o.command.empty()) {
    fmt::print(stderr,
               "contend: no program given (usage: contend [-o FILE] [--stats] [--no-children] [--] PROGRAM "
               "[ARGS...])\n");
    return kExitLauncherFailed;
  }
  return run(o, argv[0]);
}
