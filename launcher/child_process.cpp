#include "child_process.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>

namespace contend::launch {

namespace {

pid_t g_child = 0;

void forward_signal(int sig) {
  if (g_child > 0) kill(g_child, sig);
}

}  // namespace

ChildOutcome run_child(const std::string& path, const std::vector<std::string>& argv, bool through_shell,
                       int output_fd) {
  ChildOutcome outcome;
  std::vector<std::string> words;
  if (through_shell) words = {"/bin/sh", path};
  words.insert(words.end(), argv.begin() + (through_shell ? 1 : 0), argv.end());
  std::vector<char*> args;
  for (auto& w : words) args.push_back(w.data());
  args.push_back(nullptr);
  const char* file = through_shell ? "/bin/sh" : path.c_str();

  // The child reports a failed exec through this pipe; a successful one
  // closes it (O_CLOEXEC). A program exiting 126 or 127 is thus never taken
  // for an exec failure.
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) {
    outcome.spawn_errno = errno;
    return outcome;
  }
  pid_t child = fork();
  if (child < 0) {
    outcome.spawn_errno = errno;
    close(report[0]);
    close(report[1]);
    return outcome;
  }
  if (child == 0) {
    close(report[0]);
    if (output_fd >= 0 && (dup2(output_fd, STDOUT_FILENO) < 0 || dup2(output_fd, STDERR_FILENO) < 0)) {
      int e = errno;
      ssize_t ignored = write(report[1], &e, sizeof(e));
      (void)ignored;
      _exit(127);
    }
    execv(file, args.data());
    int e = errno;
    ssize_t ignored = write(report[1], &e, sizeof(e));
    (void)ignored;
    _exit(127);
  }
  close(report[1]);
  g_child = child;
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  signal(SIGTERM, forward_signal);
  signal(SIGHUP, forward_signal);
  int e = 0;
  ssize_t n;
  while ((n = read(report[0], &e, sizeof(e))) < 0 && errno == EINTR) {
  }
  close(report[0]);
  if (n == static_cast<ssize_t>(sizeof(e))) outcome.exec_errno = e;
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return outcome;
}

}  // namespace contend::launch
