#include "output/output_path.h"

#include <contend/trace_format.h>

#include "base/high_descriptor.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstring>

namespace contend::preload {

namespace {

int create_exclusive(const std::string& path) {
  return move_descriptor_high(open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
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

ClaimedOutput claimed(int fd, const std::string& path) {
  ClaimedOutput result;
  result.fd = fd;
  result.path = path;
  return result;
}

ClaimedOutput failed(std::string why) {
  ClaimedOutput result;
  result.error = std::move(why);
  return result;
}

std::string symlink_refusal(const std::string& path) {
  return "trace path " + path + " is a symbolic link; refusing to follow it";
}

// DIR/contend.PID.trace, then DIR/contend.PID.N.trace for a later image of
// the same pid (after exec) or a name left by an earlier run. Nothing in the
// directory is ever moved: it may hold the traces of many runs.
ClaimedOutput claim_in_directory(const std::string& dir, pid_t pid) {
  std::string base = dir.back() == '/' ? dir : dir + "/";
  std::string first;
  for (int n = 0; n < 100; ++n) {
    std::string candidate = base + directory_trace_name(pid, n);
    if (n == 0) first = candidate;
    int fd = create_exclusive(candidate);
    if (fd >= 0) return claimed(fd, candidate);
    if (errno != EEXIST) return failed("cannot create trace file " + candidate + ": " + std::strerror(errno));
    struct stat st;
    if (lstat(candidate.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) return failed(symlink_refusal(candidate));
  }
  return failed("cannot create trace file " + first + ": 100 names taken");
}

}  // namespace

std::string directory_trace_name(pid_t pid, int n) {
  std::string name = kDirectoryTracePrefix + std::to_string(pid);
  if (n > 0) name += "." + std::to_string(n);
  return name + kDirectoryTraceSuffix;
}

bool names_directory(const std::string& path) {
  struct stat st;
  return !path.empty() && (path.back() == '/' || (lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)));
}

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
  std::string path = expand_output_pattern(pattern, pid);
  if (names_directory(path)) return claim_in_directory(path, pid);
  int fd = create_exclusive(path);
  if (fd >= 0) return claimed(fd, path);
  if (errno != EEXIST) return failed("cannot create trace file " + path + ": " + std::strerror(errno));
  struct stat st;
  if (lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    struct stat target;
    bool to_directory = stat(path.c_str(), &target) == 0 && S_ISDIR(target.st_mode);
    return failed(symlink_refusal(path) +
                  (to_directory ? " (end the path with / to write into its directory)" : ""));
  }
  pid_t writer = S_ISREG(st.st_mode) ? trace_writer_pid(path) : -1;
  if (writer > 0 && writer != pid && !process_alive(writer)) {
    std::string old = path + ".old";
    if (rename(path.c_str(), old.c_str()) == 0) {
      fd = create_exclusive(path);
      if (fd >= 0) {
        ClaimedOutput result = claimed(fd, path);
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
    if (fd >= 0) return claimed(fd, candidate);
    if (errno != EEXIST) break;
  }
  return failed("cannot create trace file " + path + ".<pid>: " + std::strerror(errno));
}

}  // namespace contend::preload
