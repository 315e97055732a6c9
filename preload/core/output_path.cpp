#include "output_path.h"

#include <contend/trace_format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstring>

namespace contend::preload {

namespace {

int create_exclusive(const std::string& path) {
  return open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
}

// The pid recorded in an existing trace's header, or -1 if it is not one.
pid_t trace_writer_pid(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return -1;
  format::FileHeader header;
  ssize_t n = read(fd, &header, sizeof(header));
  close(fd);
  if (n != static_cast<ssize_t>(sizeof(header))) return -1;
  if (std::memcmp(header.magic, format::kMagic, sizeof(format::kMagic)) != 0) return -1;
  return static_cast<pid_t>(header.pid);
}

bool process_alive(pid_t pid) {
  return kill(pid, 0) == 0 || errno == EPERM;
}

}  // namespace

std::string expand_output_pattern(const std::string& pattern, pid_t pid) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '%' && i + 1 < pattern.size()) {
      if (pattern[i + 1] == 'p') {
        out += std::to_string(pid);
        ++i;
        continue;
      }
      if (pattern[i + 1] == '%') {
        out += '%';
        ++i;
        continue;
      }
    }
    out += pattern[i];
  }
  return out;
}

ClaimedOutput claim_output(const std::string& pattern, pid_t pid) {
  ClaimedOutput result;
  std::string path = expand_output_pattern(pattern, pid);
  int fd = create_exclusive(path);
  if (fd >= 0) {
    result.fd = fd;
    result.path = path;
    return result;
  }
  if (errno != EEXIST) {
    result.error = "cannot create trace file " + path + ": " + std::strerror(errno);
    return result;
  }
  struct stat st;
  if (lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    result.error = "trace path " + path + " is a symbolic link; refusing to follow it";
    return result;
  }
  pid_t writer = S_ISREG(st.st_mode) ? trace_writer_pid(path) : -1;
  if (writer > 0 && writer != pid && !process_alive(writer)) {
    std::string old = path + ".old";
    if (rename(path.c_str(), old.c_str()) == 0) {
      fd = create_exclusive(path);
      if (fd >= 0) {
        result.fd = fd;
        result.path = path;
        result.note = "moved the previous trace to " + old;
        return result;
      }
    }
  }
  // The path is taken by a live writer (or by something that is not ours).
  for (int n = 0; n < 100; ++n) {
    std::string candidate = path + "." + std::to_string(pid);
    if (n > 0) candidate += "." + std::to_string(n);
    fd = create_exclusive(candidate);
    if (fd >= 0) {
      result.fd = fd;
      result.path = candidate;
      return result;
    }
    if (errno != EEXIST) break;
  }
  result.error = "cannot create trace file " + path + ".<pid>: " + std::strerror(errno);
  return result;
}

}  // namespace contend::preload
