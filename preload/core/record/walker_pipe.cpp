#include "record/walker_pipe.h"

#include "base/high_descriptor.h"
#include "base/own_memory.h"
#include "base/raw_syscall.h"
#include "base/warn.h"
#include "record/library_imports.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <atomic>
#include <cerrno>
#include <cstdarg>

namespace contend::preload {

namespace {

struct NotedPipe {
  int read_fd = -1;
  int write_fd = -1;
  dev_t dev = 0;
  ino_t ino = 0;
};

// Written when libunwind makes a new pipe, read by walks in other threads:
// each field atomic (a torn read only makes one check fail, and libunwind
// makes another pipe).
struct SharedPipe {
  std::atomic<int> read_fd{-1};
  std::atomic<int> write_fd{-1};
  std::atomic<dev_t> dev{0};
  std::atomic<ino_t> ino{0};
};
SharedPipe g_pipe;
std::atomic<bool> g_noted{false};
std::atomic<bool> g_broken{false};
std::atomic<bool> g_guarded{false};
// A byte went into the pipe: the kernel would not check an address for us.
std::atomic<bool> g_pipe_used{false};
// Addresses are checked through the pipe: a seccomp filter is on, or a test.
std::atomic<bool> g_through_pipe{false};

bool is_free(int fd) {
  return fcntl(fd, F_GETFD) < 0 && errno == EBADF;
}

bool names_pipe(int fd, dev_t dev, ino_t ino) {
  struct stat st;
  return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) && st.st_dev == dev && st.st_ino == ino;
}

void note(const NotedPipe& pipe) {
  g_pipe.read_fd.store(pipe.read_fd, std::memory_order_relaxed);
  g_pipe.write_fd.store(pipe.write_fd, std::memory_order_relaxed);
  g_pipe.dev.store(pipe.dev, std::memory_order_relaxed);
  g_pipe.ino.store(pipe.ino, std::memory_order_relaxed);
  g_broken.store(false, std::memory_order_relaxed);
  g_noted.store(true, std::memory_order_release);
}

// Whether fd no longer names the noted pipe.
bool lost(long fd) {
  int saved_errno = errno;
  bool intact = names_pipe(static_cast<int>(fd), g_pipe.dev.load(std::memory_order_relaxed),
                           g_pipe.ino.load(std::memory_order_relaxed));
  errno = saved_errno;
  return !intact;
}

// Whether fd is one of the pipe's numbers and the program has taken the
// pipe (either number): the call must not reach the kernel with it.
bool taken_from_libunwind(long fd) {
  if (!g_noted.load(std::memory_order_acquire)) return false;
  int read_fd = g_pipe.read_fd.load(std::memory_order_relaxed);
  int write_fd = g_pipe.write_fd.load(std::memory_order_relaxed);
  if (fd != read_fd && fd != write_fd) return false;
  return lost(read_fd) || lost(write_fd);
}

// As libc's wrappers return: -1 and errno for a failure.
long with_errno(long result) {
  if (result < 0 && result > -4096) {
    errno = static_cast<int>(-result);
    return -1;
  }
  return result;
}

bool is_noted(long fd, const std::atomic<int>& number) {
  return g_noted.load(std::memory_order_acquire) && fd == number.load(std::memory_order_relaxed);
}

// Whether the byte at address can be read, asked of the kernel without any
// descriptor: 1 yes, 0 no, -1 when the kernel will not say or may not be
// asked (base/own_memory.h): libunwind's own pipe is used then, as it would
// be without us.
int readable(const void* address) {
  if (g_through_pipe.load(std::memory_order_relaxed)) return -1;
  char byte;
  long r = read_own_memory(&byte, address, 1);
  return r < 0 ? -1 : static_cast<int>(r);
}

// libunwind's write of a byte of memory into its pipe, which it makes only
// to learn whether the address is readable: answered without the pipe, so
// nothing ever goes through it (no SIGPIPE when the program closed the
// read end, nothing to read back). Through the pipe only when the kernel
// will not say, and never into a number the program has taken.
long write_for_libunwind(long fd, const void* buffer, long size) {
  if (is_noted(fd, g_pipe.write_fd) && size > 0) {
    int answer = readable(buffer);
    if (answer == 1) return 1;
    if (answer == 0) {
      errno = EFAULT;
      return -1;
    }
    if (taken_from_libunwind(fd)) {
      errno = EBADF;  // the address counts as unreadable
      return -1;
    }
    g_pipe_used.store(true, std::memory_order_relaxed);
  }
  return with_errno(raw_syscall(SYS_write, fd, reinterpret_cast<long>(buffer), size));
}

}  // namespace

int guarded_pipe2(int fds[2], int flags) {
  int made[2];
  long r = raw_syscall(SYS_pipe2, reinterpret_cast<long>(made), flags);
  if (r < 0) return static_cast<int>(with_errno(r));
  bool cloexec = (flags & O_CLOEXEC) != 0;
  fds[0] = move_descriptor_high(made[0], cloexec);
  fds[1] = move_descriptor_high(made[1], cloexec);
  int saved_errno = errno;
  struct stat st;
  if (fstat(fds[0], &st) == 0) note(NotedPipe{fds[0], fds[1], st.st_dev, st.st_ino});
  errno = saved_errno;
  return 0;
}

ssize_t guarded_read(int fd, void* buffer, size_t size) {
  if (is_noted(fd, g_pipe.read_fd) && !g_pipe_used.load(std::memory_order_relaxed)) {
    errno = EAGAIN;  // nothing was ever written into it: nothing to drain
    return -1;
  }
  if (taken_from_libunwind(fd)) {
    // libunwind then closes both numbers (guarded_close leaves the
    // program's descriptor open) and makes a new pipe.
    errno = EBADF;
    return -1;
  }
  if (is_noted(fd, g_pipe.read_fd)) {
    // Never wait: libunwind reads again while errno says EINTR, and a pipe
    // the program made blocking would hold the walk (and its lock) forever.
    struct pollfd ready = {fd, POLLIN, 0};
    if (raw_syscall(SYS_poll, reinterpret_cast<long>(&ready), 1, 0) <= 0) {
      errno = EAGAIN;
      return -1;
    }
  }
  return with_errno(raw_syscall(SYS_read, fd, reinterpret_cast<long>(buffer), static_cast<long>(size)));
}

ssize_t guarded_write(int fd, const void* buffer, size_t size) {
  return write_for_libunwind(fd, buffer, static_cast<long>(size));
}

int guarded_close(int fd) {
  // Only the number the program took stays open; the other one is still
  // libunwind's pipe end, and closing it keeps the count of descriptors.
  if (is_noted(fd, g_pipe.read_fd) || is_noted(fd, g_pipe.write_fd)) {
    if (lost(fd)) return 0;
  }
  return static_cast<int>(with_errno(raw_syscall(SYS_close, fd)));
}

long guarded_syscall(long number, ...) {
  va_list ap;
  va_start(ap, number);
  long a[6];
  for (long& v : a) v = va_arg(ap, long);
  va_end(ap);
  if (number == SYS_write) return write_for_libunwind(a[0], reinterpret_cast<const void*>(a[1]), a[2]);
  return with_errno(raw_syscall6(number, a[0], a[1], a[2], a[3], a[4], a[5]));
}

void check_addresses_through_pipe_for_tests(bool through_pipe) {
  g_through_pipe.store(through_pipe, std::memory_order_relaxed);
}

bool guard_walker_pipe(void* unwinder_handle) {
  const ImportReplacement close_call = {"close", reinterpret_cast<void*>(&guarded_close)};
  const ImportReplacement calls[] = {
      {"pipe2", reinterpret_cast<void*>(&guarded_pipe2)},
      {"read", reinterpret_cast<void*>(&guarded_read)},
      {"write", reinterpret_cast<void*>(&guarded_write)},
      {"syscall", reinterpret_cast<void*>(&guarded_syscall)},
  };
  // close first: a read refused while libunwind's close still reached the
  // kernel would close the program's descriptors. Then pipe2 and read at
  // least: without them nothing is noted or guarded.
  bool guarded = replace_library_imports(unwinder_handle, &close_call, 1) > 0 &&
                 replace_library_imports(unwinder_handle, &calls[0], 1) > 0 &&
                 replace_library_imports(unwinder_handle, &calls[1], 1) > 0;
  if (guarded) replace_library_imports(unwinder_handle, &calls[2], 2);
  g_guarded.store(guarded, std::memory_order_release);
  return guarded;
}

bool walker_pipe_noted(int* read_fd, int* write_fd) {
  if (!g_noted.load(std::memory_order_acquire)) return false;
  *read_fd = g_pipe.read_fd.load(std::memory_order_relaxed);
  *write_fd = g_pipe.write_fd.load(std::memory_order_relaxed);
  return true;
}

bool walker_pipe_guarded() {
  return g_guarded.load(std::memory_order_acquire);
}

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
  if (g_noted.load(std::memory_order_acquire)) return;  // noted as it was made
  if (guess.read_fd < 0 || guess.write_fd < 0) return;
  int saved_errno = errno;
  struct stat st;
  bool pipe = fstat(guess.read_fd, &st) == 0 && S_ISFIFO(st.st_mode) &&
              names_pipe(guess.write_fd, st.st_dev, st.st_ino) &&
              (fcntl(guess.read_fd, F_GETFL) & O_NONBLOCK) != 0 &&
              (fcntl(guess.write_fd, F_GETFL) & O_NONBLOCK) != 0;
  errno = saved_errno;
  if (pipe) note(NotedPipe{guess.read_fd, guess.write_fd, st.st_dev, st.st_ino});
}

bool walker_pipe_intact() {
  if (g_guarded.load(std::memory_order_acquire)) return true;
  if (!g_noted.load(std::memory_order_acquire)) return true;
  if (g_broken.load(std::memory_order_relaxed)) return false;
  int saved_errno = errno;
  int read_fd = -1, write_fd = -1;
  walker_pipe_noted(&read_fd, &write_fd);
  bool intact = !lost(read_fd) && !lost(write_fd);
  errno = saved_errno;
  if (!intact && !g_broken.exchange(true, std::memory_order_relaxed))
    warn(
        "the program closed or reused the stack walker's descriptors; stacks hold the calling function only "
        "from now on");
  return intact;
}

void forget_walker_pipe() {
  g_noted.store(false, std::memory_order_release);
  g_pipe_used.store(false, std::memory_order_relaxed);
  g_broken.store(false, std::memory_order_relaxed);
}

}  // namespace contend::preload
