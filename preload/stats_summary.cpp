#include "stats_summary.h"

#include "core/base/warn.h"

#include <dlfcn.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern char** environ;

namespace contend::preload {

namespace {

constexpr const char* kReport = "contend-report";

bool executable(const std::string& path) {
  return !path.empty() && access(path.c_str(), X_OK) == 0;
}

std::string find_report() {
  if (const char* set = getenv("CONTEND_REPORT"); set != nullptr && *set != '\0') return set;
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&print_stats_summary), &info) != 0 && info.dli_fname != nullptr) {
    std::string lib = info.dli_fname;
    std::string dir = lib.find('/') == std::string::npos ? "." : lib.substr(0, lib.rfind('/'));
    for (const char* relative : {"/../bin/", "/"}) {
      std::string candidate = dir + relative + kReport;
      if (executable(candidate)) return candidate;
    }
  }
  const char* path = getenv("PATH");
  std::string dirs = path != nullptr ? path : "";
  for (size_t pos = 0; pos <= dirs.size();) {
    size_t end = dirs.find(':', pos);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = end > pos ? dirs.substr(pos, end - pos) : ".";
    if (executable(dir + "/" + kReport)) return dir + "/" + kReport;
    pos = end + 1;
  }
  return "";
}

// The program's environment without LD_PRELOAD: the report must not
// profile itself.
std::vector<char*> report_environment() {
  std::vector<char*> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e)
    if (std::strncmp(*e, "LD_PRELOAD=", 11) != 0) env.push_back(*e);
  env.push_back(nullptr);
  return env;
}

void write_text(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

// Runs contend-report on the trace with its output on `fd`; the reason
// when it could not run.
std::string run_report(const std::string& report, const char* trace_path, int fd) {
  posix_spawn_file_actions_t actions;
  if (posix_spawn_file_actions_init(&actions) != 0) return "out of memory";
  posix_spawn_file_actions_adddup2(&actions, fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fd, STDERR_FILENO);
  std::string top = "5";
  std::vector<char*> argv = {const_cast<char*>(report.c_str()), const_cast<char*>("--top"), top.data(),
                             const_cast<char*>(trace_path), nullptr};
  std::vector<char*> env = report_environment();
  pid_t pid = 0;
  int rc = posix_spawn(&pid, report.c_str(), &actions, nullptr, argv.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return std::strerror(rc);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return "";  // reaped by the program's own SIGCHLD handling: it ran
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) return "it could not be executed";
  return "";
}

}  // namespace

void print_stats_summary(const char* trace_path, int fd) {
  int saved_errno = errno;
  std::string report = find_report();
  if (report.empty()) {
    warn(std::string("CONTEND_STATS: contend-report not found (set CONTEND_REPORT or PATH); the trace is ") +
         trace_path);
  } else {
    write_text(fd, "\n");
    std::string error = run_report(report, trace_path, fd);
    if (error.empty()) {
      write_text(fd, std::string("Full report: contend-report ") + trace_path + "\n");
    } else {
      warn("CONTEND_STATS: cannot run " + report + ": " + error + "; the trace is " + trace_path);
    }
  }
  errno = saved_errno;
}

}  // namespace contend::preload
