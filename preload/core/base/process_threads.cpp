#include "base/process_threads.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <cstdlib>
#include <cstring>

namespace contend::preload {

namespace {

// The state letter of /proc/self/task/TID/stat, or 0.
char thread_state(const char* tid) {
  char path[64] = "/proc/self/task/";
  size_t n = std::strlen(path);
  size_t len = std::strlen(tid);
  if (n + len + sizeof("/stat") > sizeof(path)) return 0;
  std::memcpy(path + n, tid, len);
  std::memcpy(path + n + len, "/stat", sizeof("/stat"));
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[512];
  ssize_t got = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  if (got <= 0) return 0;
  buf[got] = '\0';
  // "tid (comm) S ...": comm may hold spaces and parentheses.
  const char* end = std::strrchr(buf, ')');
  return end != nullptr && end[1] == ' ' ? end[2] : 0;
}

}  // namespace

int other_running_threads(pid_t except) {
  int dir = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return -1;
  int count = 0;
  bool complete = false;
  alignas(8) char buf[4096];
  for (;;) {
    ssize_t got = getdents64(dir, buf, sizeof(buf));
    if (got <= 0) {
      complete = got == 0;
      break;
    }
    for (ssize_t off = 0; off < got;) {
      auto* d = reinterpret_cast<const dirent64*>(buf + off);
      off += d->d_reclen;
      if (d->d_name[0] < '0' || d->d_name[0] > '9') continue;
      char state = thread_state(d->d_name);
      // A thread gone since the listing has no stat file any more (0).
      if (state != 0 && state != 'Z' && state != 'X' && std::strtol(d->d_name, nullptr, 10) != except)
        ++count;
    }
  }
  close(dir);
  return complete ? count : -1;
}

}  // namespace contend::preload
