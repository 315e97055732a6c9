// Builds trace files byte by byte, for reader and aggregator tests.
#pragma once

#include <contend/trace_format.h>

#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

namespace contend::testing {

class TraceBuilder {
 public:
  // A valid header: pid 4242, monotonic clock (1 tick = 1 ns).
  TraceBuilder();

  format::FileHeader& header() { return header_; }

  template <typename Record>
  TraceBuilder& add(Record r) {
    bytes_.insert(bytes_.end(), reinterpret_cast<const std::byte*>(&r),
                  reinterpret_cast<const std::byte*>(&r) + sizeof(r));
    return *this;
  }
  TraceBuilder& add_raw(const void* data, size_t size);

  static format::WaitRecord wait(uint64_t lock, uint32_t tid, uint64_t start, uint64_t duration,
                                 format::WaitKind kind = format::WaitKind::kMutex);
  static format::LockCountsRecord counts(uint64_t lock, uint32_t tid, uint32_t epoch, uint64_t acquisitions,
                                         uint64_t contended,
                                         format::WaitKind kind = format::WaitKind::kMutex);
  static format::ThreadStartRecord thread_start(uint32_t tid, uint64_t time);
  static format::ThreadEndRecord thread_end(uint32_t tid, uint64_t time, const char* name);
  static format::FooterRecord footer(uint64_t end, uint32_t threads, uint64_t dropped = 0);
  static format::HoldRecord hold(uint64_t lock, uint32_t tid, uint64_t site, uint64_t duration,
                                 uint32_t weight, format::WaitKind kind = format::WaitKind::kMutex);
  static format::ReleaseRecord release(uint64_t lock, uint32_t tid, uint64_t time, uint64_t caused,
                                       uint64_t site, uint32_t releases = 1);
  // Variable-size records, as bytes.
  static std::vector<std::byte> stack(uint64_t id, std::vector<uint64_t> frames);
  static std::vector<std::byte> lock_name(uint64_t lock, const std::string& name);
  TraceBuilder& add_bytes(const std::vector<std::byte>& bytes) { return add_raw(bytes.data(), bytes.size()); }

  // Header (with exe path and argv) followed by the records added so far.
  std::vector<std::byte> bytes() const;
  void write(const std::string& path) const;
  static void write_bytes(const std::string& path, const std::vector<std::byte>& bytes);

 private:
  format::FileHeader header_{};
  std::string exe_ = "/usr/bin/example";
  std::string argv_ = std::string("example\0--flag\0", 15);
  std::vector<std::byte> bytes_;
};

}  // namespace contend::testing
