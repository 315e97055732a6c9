#include "base/warn.h"

#include "base/high_descriptor.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <cstring>

namespace contend::preload {

namespace {

std::atomic<int> g_fd{-1};
dev_t g_dev = 0;
ino_t g_ino = 0;

bool same_file(int fd) {
  struct stat st;
  return fd >= 0 && fstat(fd, &st) == 0 && st.st_dev == g_dev && st.st_ino == g_ino;
}

void write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = write(fd, data, size);
    if (n <= 0) return;
    data += n;
    size -= static_cast<size_t>(n);
  }
}

// Whether writing `size` bytes to fd would pass RLIMIT_FSIZE: stderr may be
// a regular file (2>log) in a process run with a small limit, and a write
// at the limit raises SIGXFSZ, which kills the program. Such a warning is
// dropped instead.
bool past_size_limit(int fd, size_t size) {
  struct rlimit lim;
  if (getrlimit(RLIMIT_FSIZE, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY) return false;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return false;
  int flags = fcntl(fd, F_GETFL);
  off_t at = (flags >= 0 && (flags & O_APPEND) != 0) ? st.st_size : lseek(fd, 0, SEEK_CUR);
  if (at < 0) at = st.st_size;
  return static_cast<uint64_t>(at) + size > static_cast<uint64_t>(lim.rlim_cur);
}

}  // namespace

void open_diagnostic_fd() {
  int fd = fcntl(2, F_DUPFD_CLOEXEC, kHighDescriptor);
  if (fd < 0) return;
  set_diagnostic_fd(fd);
}

void set_diagnostic_fd(int fd) {
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    g_fd.store(-1);
    return;
  }
  g_dev = st.st_dev;
  g_ino = st.st_ino;
  g_fd.store(fd);
}

int diagnostic_fd() {
  int fd = g_fd.load();
  return same_file(fd) ? fd : -1;
}

void warn(std::string_view message) {
  // One write(2) per line, so lines from two threads never interleave; a
  // warning raised while another is being written (a signal handler) waits
  // for nothing and is still written.
  int saved_errno = errno;
  int fd = diagnostic_fd();
  if (fd < 0) return;
  char line[512];
  constexpr std::string_view kPrefix = "contend: ";
  size_t n = message.size();
  if (n > sizeof(line) - kPrefix.size() - 1) n = sizeof(line) - kPrefix.size() - 1;
  std::memcpy(line, kPrefix.data(), kPrefix.size());
  std::memcpy(line + kPrefix.size(), message.data(), n);
  line[kPrefix.size() + n] = '\n';
  if (!past_size_limit(fd, kPrefix.size() + n + 1)) write_all(fd, line, kPrefix.size() + n + 1);
  errno = saved_errno;
}

}  // namespace contend::preload
