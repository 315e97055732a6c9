// Choosing and creating the trace file.
//
// The file is always created with O_CREAT|O_EXCL|O_NOFOLLOW and mode 0600, so
// a planted symlink is never followed and no two processes ever share a file.
// When the configured path already exists:
//  - a trace left by a process that is gone is moved to PATH.old (as perf
//    does with perf.data), and PATH is created afresh;
//  - otherwise (its writer is alive, e.g. our parent before a fork or exec,
//    or it is not a trace at all) this process writes PATH.PID instead.
// A directory (PATH ending in "/", or an existing directory that is not a
// symlink) receives DIR/contend.PID.trace, or DIR/contend.PID.N.trace when
// that name is taken; nothing there is ever renamed. The launcher globs these
// names after the run.
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

inline constexpr const char* kDirectoryTracePrefix = "contend.";
inline constexpr const char* kDirectoryTraceSuffix = ".trace";

// "%p" in the pattern becomes the pid, "%%" a percent sign.
std::string expand_output_pattern(const std::string& pattern, pid_t pid);

// Whether an (expanded) output path means "a directory to write into".
bool names_directory(const std::string& path);

// contend.PID.trace (n = 0), contend.PID.N.trace.
std::string directory_trace_name(pid_t pid, int n);

ClaimedOutput claim_output(const std::string& pattern, pid_t pid);

}  // namespace contend::preload
