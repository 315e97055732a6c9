// Buffered, failure-tolerant output of one trace file.
//
// Only one thread writes at a time (the drain, or the exit path after the
// drain has stopped). Every failure (disk full, file size limit, descriptor
// closed or reused by the host) stops writing for good with one warning; the
// file then ends on a record boundary so everything before it stays readable.
// Records that never reach the file are counted (records_lost). At the file
// size limit, a reserve below it still takes the last records (the count of
// what was lost, the footer): see begin_final().
#pragma once

#include <contend/trace_format.h>

#include <sys/types.h>
#include <cstddef>
#include <cstdint>
#include <string>

namespace contend::preload {

struct HeaderInfo {
  uint32_t pid = 0;
  uint32_t ppid = 0;
  uint64_t start_realtime_ns = 0;
  uint64_t start_monotonic_ns = 0;
  uint64_t start_ticks = 0;
  uint64_t calib_ticks = 1;
  uint64_t calib_ns = 1;
  format::ClockSource clock_source = format::ClockSource::kMonotonic;
  std::string exe_path;
  std::string command_line;  // argv, each NUL-terminated
};

// The running program's executable path and argv, from /proc/self.
std::string read_exe_path();
std::string read_command_line();

class TraceWriter;

// Adapter for producers that emit whole records through a callback
// (ModuleMap::Emit): appends to the TraceWriter passed as `writer`.
void append_to_writer(void* writer, const void* record, size_t size);

class TraceWriter {
 public:
  static constexpr size_t kBufferBytes = 256u << 10;
  // Kept free below RLIMIT_FSIZE so the footer always fits.
  static constexpr uint64_t kFooterReserve = 4096;

  // Takes ownership of `fd`; remembers which file it is.
  void open(int fd, std::string path);
  const std::string& path() const { return path_; }

  bool write_header(const HeaderInfo& info);

  // Appends whole records (buffered). Drops them once writing has failed.
  void append(const void* data, size_t size, uint64_t records);
  template <typename Record>
  void append(const Record& r) {
    append(&r, sizeof(r), 1);
  }

  // Writes the buffer out. `final` allows using the footer reserve.
  bool flush(bool final = false);
  // The last records follow (then flush(true)): a writer stopped only by
  // the file size limit takes them again, into the reserve below it.
  void begin_final();
  void close();
  // In a forked child: the descriptor is shared with the parent's file, so
  // close our copy and drop the buffer without writing anything.
  void abandon();

  bool failed() const { return failed_; }
  uint64_t records() const { return records_; }
  uint64_t bytes_on_disk() const { return offset_; }
  uint64_t records_lost() const { return records_lost_; }

 private:
  bool write_batch(const std::byte* data, size_t size, bool final);
  void fail(const std::string& why);
  bool descriptor_still_ours() const;

  int fd_ = -1;
  std::string path_;
  dev_t dev_ = 0;
  ino_t ino_ = 0;
  uint64_t size_limit_ = UINT64_MAX;
  uint64_t offset_ = 0;  // bytes written so far, always a record boundary
  uint64_t records_ = 0;
  uint64_t pending_records_ = 0;
  uint64_t records_lost_ = 0;
  bool failed_ = false;
  bool size_limited_ = false;  // failed at the size limit only: the reserve is left
  size_t used_ = 0;
  alignas(64) std::byte buffer_[kBufferBytes];
};

}  // namespace contend::preload
