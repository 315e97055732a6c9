#include "record/walker_pipe.h"

#include "base/warn.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <atomic>
#include <cerrno>

namespace contend::preload {

namespace {

struct NotedPipe {
  int read_fd = -1;
  int write_fd = -1;
  dev_t dev = 0;
  ino_t ino = 0;
};

NotedPipe g_pipe;
std::atomic<bool> g_noted{false};
std::atomic<bool> g_broken{false};

bool is_free(int fd) {
  return fcntl(fd, F_GETFD) < 0 && errno == EBADF;
}

bool names_pipe(int fd, dev_t dev, ino_t ino) {
  struct stat st;
  return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) && st.st_dev == dev && st.st_ino == ino;
}

}  // namespace

WalkerPipeGuess guess_walker_pipe() {
  int saved_errno = errno;
  WalkerPipeGuess guess;
  constexpr int kLimit = 1 << 16;
  for (int fd = 0; fd < kLimit && guess.write_fd < 0; ++fd) {
    if (!is_free(fd)) continue;
    if (guess.read_fd < 0) {
      guess.read_fd = fd;
    } else {
      guess.write_fd = fd;
    }
  }
  errno = saved_errno;
  return guess;
}

void note_walker_pipe(const WalkerPipeGuess& guess) {
  if (guess.read_fd < 0 || guess.write_fd < 0) return;
  int saved_errno = errno;
  struct stat st;
  bool pipe = fstat(guess.read_fd, &st) == 0 && S_ISFIFO(st.st_mode) &&
              names_pipe(guess.write_fd, st.st_dev, st.st_ino) &&
              (fcntl(guess.read_fd, F_GETFL) & O_NONBLOCK) != 0 &&
              (fcntl(guess.write_fd, F_GETFL) & O_NONBLOCK) != 0;
  errno = saved_errno;
  if (!pipe) return;
  g_pipe = NotedPipe{guess.read_fd, guess.write_fd, st.st_dev, st.st_ino};
  g_broken.store(false, std::memory_order_relaxed);
  g_noted.store(true, std::memory_order_release);
}

bool walker_pipe_intact() {
  if (!g_noted.load(std::memory_order_acquire)) return true;
  if (g_broken.load(std::memory_order_relaxed)) return false;
  int saved_errno = errno;
  bool intact = names_pipe(g_pipe.read_fd, g_pipe.dev, g_pipe.ino) &&
                names_pipe(g_pipe.write_fd, g_pipe.dev, g_pipe.ino);
  errno = saved_errno;
  if (intact) return true;
  if (!g_broken.exchange(true, std::memory_order_relaxed))
    warn(
        "the program closed or reused the stack walker's descriptors; stacks hold the calling function only "
        "from now on");
  return false;
}

void forget_walker_pipe() {
  g_noted.store(false, std::memory_order_release);
  g_broken.store(false, std::memory_order_relaxed);
}

}  // namespace contend::preload
