// Running the program as a child and waiting for it.
#pragma once

#include <string>
#include <vector>

namespace contend::launch {

struct ChildOutcome {
  int exit_code = 0;    // as a shell reports it: the status, or 128 + the signal
  int exec_errno = 0;   // nonzero: the exec failed and nothing ran
  int spawn_errno = 0;  // nonzero: no child could be started (pipe, fork)
};

// Executes the file at `path` with `argv` (argv[0] as the user wrote it), or
// with /bin/sh when `through_shell` (a text file without "#!", as execvp
// does). SIGTERM and SIGHUP are passed on; SIGINT and SIGQUIT, which the
// terminal sends to the program as well, are ignored meanwhile. With an
// `output_fd`, the program's stdout and stderr go there (contend sweep
// keeps each run's output beside its traces).
ChildOutcome run_child(const std::string& path, const std::vector<std::string>& argv, bool through_shell,
                       int output_fd = -1);

}  // namespace contend::launch
