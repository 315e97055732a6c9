// Choosing and creating the trace file.
//
// The file is always created with O_CREAT|O_EXCL|O_NOFOLLOW and mode 0600, so
// a planted symlink is never followed and no two processes ever share a file.
// When the configured path already exists:
//  - a trace left by a process that is gone is moved to PATH.old (as perf
//    does with perf.data), and PATH is created afresh;
//  - otherwise (its writer is alive, e.g. our parent before a fork or exec,
//    or it is not a trace at all) this process writes PATH.PID instead.
#pragma once

#include <sys/types.h>
#include <string>

namespace contend::preload {

struct ClaimedOutput {
  int fd = -1;
  std::string path;
  std::string note;   // what happened to an existing file (for tests; not printed)
  std::string error;  // set when fd < 0
};

// "%p" in the pattern becomes the pid, "%%" a percent sign.
std::string expand_output_pattern(const std::string& pattern, pid_t pid);

ClaimedOutput claim_output(const std::string& pattern, pid_t pid);

}  // namespace contend::preload
