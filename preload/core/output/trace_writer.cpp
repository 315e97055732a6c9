#include "output/trace_writer.h"

#include "base/warn.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>

namespace contend::preload {

namespace {

std::string read_small_file(const char* path) {
  std::string out;
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;
  char buf[4096];
  while (out.size() < format::kMaxHeaderString) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  if (out.size() > format::kMaxHeaderString) out.resize(format::kMaxHeaderString);
  return out;
}

}  // namespace

std::string read_exe_path() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf));
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

std::string read_command_line() {
  return read_small_file("/proc/self/cmdline");
}

void TraceWriter::open(int fd, std::string path) {
  fd_ = fd;
  path_ = std::move(path);
  offset_ = 0;
  records_ = 0;
  pending_records_ = 0;
  records_lost_ = 0;
  failed_ = false;
  size_limited_ = false;
  used_ = 0;
  struct stat st;
  if (fstat(fd, &st) == 0) {
    dev_ = st.st_dev;
    ino_ = st.st_ino;
  }
  // Writing past RLIMIT_FSIZE would raise SIGXFSZ and kill the host: stay below.
  struct rlimit lim;
  size_limit_ = UINT64_MAX;
  if (getrlimit(RLIMIT_FSIZE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY)
    size_limit_ = static_cast<uint64_t>(lim.rlim_cur);
}

bool TraceWriter::write_header(const HeaderInfo& info) {
  format::FileHeader h{};
  std::memcpy(h.magic, format::kMagic, sizeof(h.magic));
  h.version = format::kVersion;
  uint32_t exe = static_cast<uint32_t>(std::min<size_t>(info.exe_path.size(), format::kMaxHeaderString));
  uint32_t cmd = static_cast<uint32_t>(std::min<size_t>(info.command_line.size(), format::kMaxHeaderString));
  h.header_size = format::align_up(static_cast<uint32_t>(sizeof(h)) + exe + cmd);
  h.pid = info.pid;
  h.ppid = info.ppid;
  h.start_realtime_ns = info.start_realtime_ns;
  h.start_monotonic_ns = info.start_monotonic_ns;
  h.start_ticks = info.start_ticks;
  h.calib_ticks = info.calib_ticks;
  h.calib_ns = info.calib_ns;
  h.clock_source = static_cast<uint8_t>(info.clock_source);
  h.exe_path_size = exe;
  h.command_line_size = cmd;
  append(&h, sizeof(h), 0);
  append(info.exe_path.data(), exe, 0);
  append(info.command_line.data(), cmd, 0);
  static constexpr char zeros[8] = {};
  append(zeros, h.header_size - sizeof(h) - exe - cmd, 0);
  return flush();
}

void TraceWriter::append(const void* data, size_t size, uint64_t records) {
  if (size == 0) return;
  if (failed_ || fd_ < 0) {
    records_lost_ += records;
    return;
  }
  // Whole records only ever reach the file: a batch that does not fit is
  // preceded by a flush, and one larger than the buffer is written directly.
  if (used_ + size > kBufferBytes && !flush()) {
    records_lost_ += records;
    return;
  }
  if (size > kBufferBytes) {
    if (write_batch(static_cast<const std::byte*>(data), size, false)) {
      records_ += records;
    } else {
      records_lost_ += records;
    }
    return;
  }
  std::memcpy(buffer_ + used_, data, size);
  used_ += size;
  pending_records_ += records;
}

bool TraceWriter::descriptor_still_ours() const {
  struct stat st;
  return fstat(fd_, &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_;
}

void TraceWriter::fail(const std::string& why) {
  if (!failed_)
    warn("stopped writing " + path_ + ": " + why + "; the trace ends at byte " + std::to_string(offset_));
  failed_ = true;
  records_lost_ += pending_records_;
  pending_records_ = 0;
  used_ = 0;
}

bool TraceWriter::flush(bool final) {
  if (failed_ || fd_ < 0) return false;
  if (used_ == 0) return true;
  if (!write_batch(buffer_, used_, final)) return false;
  used_ = 0;
  records_ += pending_records_;
  pending_records_ = 0;
  return true;
}

bool TraceWriter::write_batch(const std::byte* data, size_t size, bool final) {
  if (!descriptor_still_ours()) {
    // The host closed our descriptor, or reused its number: never write
    // into a file that is not ours.
    fd_ = -1;
    fail("its file descriptor was closed by the program");
    return false;
  }
  uint64_t limit = size_limit_;
  if (limit != UINT64_MAX && !final) limit = limit > kFooterReserve ? limit - kFooterReserve : 0;
  if (offset_ + size > limit) {
    fail("the file size limit (RLIMIT_FSIZE) was reached");
    size_limited_ = !final;
    return false;
  }
  size_t done = 0;
  while (done < size) {
    ssize_t n = write(fd_, data + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = n < 0 ? errno : ENOSPC;
      // Cut the partial batch so the file ends on a record boundary.
      if (done > 0 && ftruncate(fd_, static_cast<off_t>(offset_)) == 0)
        lseek(fd_, static_cast<off_t>(offset_), SEEK_SET);
      fail(std::strerror(err));
      return false;
    }
    done += static_cast<size_t>(n);
  }
  offset_ += size;
  return true;
}

void TraceWriter::begin_final() {
  if (!failed_ || !size_limited_ || fd_ < 0) return;
  failed_ = false;
  size_limited_ = false;  // once: a final batch that does not fit ends it
}

void TraceWriter::close() {
  if (fd_ >= 0 && descriptor_still_ours()) ::close(fd_);
  fd_ = -1;
}

void append_to_writer(void* writer, const void* record, size_t size) {
  static_cast<TraceWriter*>(writer)->append(record, size, 1);
}

void TraceWriter::abandon() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  used_ = 0;
  pending_records_ = 0;
}

}  // namespace contend::preload
