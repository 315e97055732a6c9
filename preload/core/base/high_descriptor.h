// Our own descriptors live above the numbers programs allocate.
//
// The kernel hands out the lowest free number. A descriptor of ours on a low
// one is a number the program expects to get itself (a program started
// with 0, 1 or 2 closed reopens them; one that closed all it did not open
// reuses them), and what it then writes to "its" stdout lands in our file.
#pragma once

#include "base/raw_syscall.h"

#include <fcntl.h>
#include <sys/syscall.h>

namespace contend::preload {

constexpr int kHighDescriptor = 700;

// fd moved to kHighDescriptor or above (the low number closed); fd itself
// when no such number is free (RLIMIT_NOFILE below it).
inline int move_descriptor_high(int fd, bool cloexec = true) {
  if (fd < 0 || fd >= kHighDescriptor) return fd;
  long high = raw_syscall(SYS_fcntl, fd, cloexec ? F_DUPFD_CLOEXEC : F_DUPFD, kHighDescriptor);
  if (high < 0) return fd;
  raw_syscall(SYS_close, fd);
  return static_cast<int>(high);
}

}  // namespace contend::preload
