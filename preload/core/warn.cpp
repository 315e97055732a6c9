#include "warn.h"

#include <spdlog/logger.h>
#include <spdlog/sinks/base_sink.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <atomic>
#include <memory>
#include <mutex>

namespace contend::preload {

namespace {

constexpr int kHighFd = 700;  // above the fds small programs allocate

std::atomic<int> g_fd{-1};
dev_t g_dev = 0;
ino_t g_ino = 0;
std::atomic<bool> g_busy{false};

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

// A sink that writes whole lines to our saved descriptor with write(2): no
// stdio (the host may have closed it) and no mutex (the flag serializes).
class DiagnosticSink final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    int fd = diagnostic_fd();
    if (fd >= 0) write_all(fd, line.data(), line.size());
  }
  void flush_() override {}
};

spdlog::logger& logger() {
  // Built on first use and never destroyed: warnings can come from exit paths.
  static auto* instance = [] {
    auto sink = std::make_shared<DiagnosticSink>();
    auto* l = new spdlog::logger("contend", std::move(sink));
    l->set_pattern("contend: %v");
    return l;
  }();
  return *instance;
}

}  // namespace

void open_diagnostic_fd() {
  int fd = fcntl(2, F_DUPFD_CLOEXEC, kHighFd);
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
  if (g_busy.exchange(true)) {
    // Re-entered: skip spdlog, still say something.
    int fd = diagnostic_fd();
    if (fd >= 0) {
      write_all(fd, "contend: ", 9);
      write_all(fd, message.data(), message.size());
      write_all(fd, "\n", 1);
    }
    return;
  }
  try {
    logger().warn("{}", message);
  } catch (...) {
    // Never let a diagnostic take the host down.
  }
  g_busy.store(false);
}

}  // namespace contend::preload
