#include "trace_builder.h"

#include <fstream>
#include <stdexcept>

namespace contend::testing {

TraceBuilder::TraceBuilder() {
  std::memcpy(header_.magic, format::kMagic, sizeof(header_.magic));
  header_.version = format::kVersion;
  header_.pid = 4242;
  header_.ppid = 1;
  header_.start_realtime_ns = 1700000000000000000ull;
  header_.start_monotonic_ns = 1000;
  header_.start_ticks = 1000;
  header_.calib_ticks = 1;
  header_.calib_ns = 1;
  header_.clock_source = static_cast<uint8_t>(format::ClockSource::kMonotonic);
}

TraceBuilder& TraceBuilder::add_raw(const void* data, size_t size) {
  const auto* p = static_cast<const std::byte*>(data);
  bytes_.insert(bytes_.end(), p, p + size);
  return *this;
}

format::WaitRecord TraceBuilder::wait(uint64_t lock, uint32_t tid, uint64_t start, uint64_t duration,
                                      format::WaitKind kind) {
  format::WaitRecord r{};
  r.header = format::make_header<format::WaitRecord>(format::RecordKind::kWait);
  r.lock = lock;
  r.tid = tid;
  r.start = start;
  r.duration = duration;
  r.wait_kind = static_cast<uint8_t>(kind);
  return r;
}

format::LockCountsRecord TraceBuilder::counts(uint64_t lock, uint32_t tid, uint32_t epoch,
                                              uint64_t acquisitions, uint64_t contended,
                                              format::WaitKind kind) {
  format::LockCountsRecord r{};
  r.header = format::make_header<format::LockCountsRecord>(format::RecordKind::kLockCounts);
  r.lock = lock;
  r.tid = tid;
  r.table_epoch = epoch;
  r.acquisitions = acquisitions;
  r.contended = contended;
  r.wait_kind = static_cast<uint8_t>(kind);
  return r;
}

format::ThreadStartRecord TraceBuilder::thread_start(uint32_t tid, uint64_t time) {
  format::ThreadStartRecord r{};
  r.header = format::make_header<format::ThreadStartRecord>(format::RecordKind::kThreadStart);
  r.tid = tid;
  r.time = time;
  return r;
}

format::ThreadEndRecord TraceBuilder::thread_end(uint32_t tid, uint64_t time, const char* name) {
  format::ThreadEndRecord r{};
  r.header = format::make_header<format::ThreadEndRecord>(format::RecordKind::kThreadEnd);
  r.tid = tid;
  r.time = time;
  std::strncpy(r.name, name, sizeof(r.name) - 1);
  return r;
}

format::FooterRecord TraceBuilder::footer(uint64_t end, uint32_t threads, uint64_t dropped) {
  format::FooterRecord r{};
  r.header = format::make_header<format::FooterRecord>(format::RecordKind::kFooter);
  r.end_ticks = end;
  r.end_monotonic_ns = end;
  r.threads = threads;
  r.dropped_events = dropped;
  r.reason = static_cast<uint32_t>(format::FooterReason::kExit);
  return r;
}

format::HoldRecord TraceBuilder::hold(uint64_t lock, uint32_t tid, uint64_t site, uint64_t duration,
                                      uint32_t weight, format::WaitKind kind) {
  format::HoldRecord r{};
  r.header = format::make_header<format::HoldRecord>(format::RecordKind::kHold);
  r.lock = lock;
  r.tid = tid;
  r.site = site;
  r.duration = duration;
  r.weight = weight;
  r.wait_kind = static_cast<uint8_t>(kind);
  return r;
}

format::ReleaseRecord TraceBuilder::release(uint64_t lock, uint32_t tid, uint64_t time, uint64_t caused,
                                            uint64_t site, uint32_t releases) {
  format::ReleaseRecord r{};
  r.header = format::make_header<format::ReleaseRecord>(format::RecordKind::kRelease);
  r.lock = lock;
  r.tid = tid;
  r.time = time;
  r.caused = caused;
  r.acquire_site = site;
  r.waiters = 1;
  r.releases = releases;
  return r;
}

std::vector<std::byte> TraceBuilder::stack(uint64_t id, std::vector<uint64_t> frames) {
  format::StackRecord r{};
  uint32_t size = static_cast<uint32_t>(sizeof(r) + frames.size() * sizeof(uint64_t));
  r.header =
      format::RecordHeader{format::kRecordSync, static_cast<uint8_t>(format::RecordKind::kStack), 0, size};
  r.id = id;
  r.depth = static_cast<uint32_t>(frames.size());
  std::vector<std::byte> out(size);
  std::memcpy(out.data(), &r, sizeof(r));
  std::memcpy(out.data() + sizeof(r), frames.data(), frames.size() * sizeof(uint64_t));
  return out;
}

std::vector<std::byte> TraceBuilder::lock_name(uint64_t lock, const std::string& name) {
  format::LockNameRecord r{};
  uint32_t size = format::align_up(static_cast<uint32_t>(sizeof(r) + name.size()));
  r.header =
      format::RecordHeader{format::kRecordSync, static_cast<uint8_t>(format::RecordKind::kLockName), 0, size};
  r.lock = lock;
  r.name_size = static_cast<uint16_t>(name.size());
  std::vector<std::byte> out(size, std::byte{0});
  std::memcpy(out.data(), &r, sizeof(r));
  std::memcpy(out.data() + sizeof(r), name.data(), name.size());
  return out;
}

std::vector<std::byte> TraceBuilder::bytes() const {
  format::FileHeader h = header_;
  h.exe_path_size = static_cast<uint32_t>(exe_.size());
  h.command_line_size = static_cast<uint32_t>(argv_.size());
  h.header_size = format::align_up(static_cast<uint32_t>(sizeof(h) + exe_.size() + argv_.size()));
  std::vector<std::byte> out(h.header_size, std::byte{0});
  std::memcpy(out.data(), &h, sizeof(h));
  std::memcpy(out.data() + sizeof(h), exe_.data(), exe_.size());
  std::memcpy(out.data() + sizeof(h) + exe_.size(), argv_.data(), argv_.size());
  out.insert(out.end(), bytes_.begin(), bytes_.end());
  return out;
}

void TraceBuilder::write(const std::string& path) const {
  write_bytes(path, bytes());
}

void TraceBuilder::write_bytes(const std::string& path, const std::vector<std::byte>& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!f) throw std::runtime_error("cannot write " + path);
}

}  // namespace contend::testing
