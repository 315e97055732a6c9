#include "read/trace_reader.h"

#include "read/trace_error.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace contend::analyze {

namespace {
constexpr size_t kChunk = 1u << 20;

const char* kind_label(uint8_t kind) {
  const char* name = format::kind_name(static_cast<format::RecordKind>(kind));
  return name;
}

bool known_kind(uint8_t kind) {
  auto k = static_cast<format::RecordKind>(kind);
  return k == format::RecordKind::kPadding || format::expected_size(k) != 0;
}
}  // namespace

TraceReader::TraceReader(std::string path) : path_(std::move(path)) {}

TraceReader::~TraceReader() {
  if (file_ != nullptr) std::fclose(file_);
}

void TraceReader::fail(uint64_t offset, const std::string& what) const {
  throw TraceError(path_, fmt::format("{} at byte {}", what, offset));
}

void TraceReader::fail_record(const RecordView& r, const std::string& what) const {
  throw TraceError(path_, fmt::format("corrupt record at byte {} (record {}, kind {}): {}", r.offset, r.index,
                                      kind_label(static_cast<uint8_t>(r.kind)), what));
}

bool TraceReader::fill(size_t need) {
  if (end_ - begin_ >= need) return true;
  // Move the unread tail to the front, then read more behind it.
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  // Reads start small (most traces are small, and a big buffer is zeroed
  // for nothing) and double up to kChunk while the file keeps going.
  if (buffer_.size() < need + chunk_) buffer_.resize(need + chunk_);
  if (chunk_ < kChunk) chunk_ *= 2;
  while (end_ < need) {
    size_t n = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
    if (n == 0) {
      if (std::ferror(file_)) throw TraceError(path_, fmt::format("read error: {}", std::strerror(errno)));
      return false;
    }
    end_ += n;
  }
  return true;
}

const TraceHeader& TraceReader::open() {
  file_ = std::fopen(path_.c_str(), "rb");
  if (file_ == nullptr) throw TraceError(path_, std::strerror(errno));
  if (!fill(sizeof(format::FileHeader))) {
    if (end_ >= sizeof(format::kMagic) &&
        std::memcmp(buffer_.data(), format::kMagic, sizeof(format::kMagic)) != 0)
      throw TraceError(path_, "not a contend trace (bad magic at byte 0)");
    throw TraceError(path_, fmt::format("truncated at byte {} in the file header", end_));
  }
  format::FileHeader& h = header_.raw;
  std::memcpy(&h, buffer_.data(), sizeof(h));
  if (std::memcmp(h.magic, format::kMagic, sizeof(h.magic)) != 0)
    throw TraceError(path_, "not a contend trace (bad magic at byte 0)");
  if (h.version > format::kVersion)
    throw TraceError(path_, fmt::format("format version {} is newer than this contend-report reads "
                                        "(version {}); upgrade contend",
                                        h.version, format::kVersion));
  if (h.version == 0) fail(8, "corrupt file header: format version 0");
  uint64_t strings = uint64_t{h.exe_path_size} + h.command_line_size;
  if (h.header_size % format::kRecordAlign != 0 || h.header_size < sizeof(h) ||
      h.exe_path_size > format::kMaxHeaderString || h.command_line_size > format::kMaxHeaderString ||
      sizeof(h) + strings > h.header_size || h.header_size > sizeof(h) + strings + format::kRecordAlign)
    fail(12, "corrupt file header: inconsistent sizes");
  if (h.clock_source != static_cast<uint8_t>(format::ClockSource::kMonotonic) &&
      h.clock_source != static_cast<uint8_t>(format::ClockSource::kTsc))
    fail(offsetof(format::FileHeader, clock_source), "corrupt file header: unknown clock source");
  if (h.calib_ticks == 0 || h.calib_ns == 0)
    fail(offsetof(format::FileHeader, calib_ticks), "corrupt file header: zero clock calibration");
  if (!fill(h.header_size))
    throw TraceError(path_, fmt::format("truncated at byte {} in the file header", end_));
  const char* strs = reinterpret_cast<const char*>(buffer_.data()) + sizeof(h);
  header_.exe_path.assign(strs, h.exe_path_size);
  std::string cmd(strs + h.exe_path_size, h.command_line_size);
  size_t pos = 0;
  while (pos < cmd.size()) {
    size_t end = cmd.find('\0', pos);
    if (end == std::string::npos) end = cmd.size();
    header_.argv.push_back(cmd.substr(pos, end - pos));
    pos = end + 1;
  }
  begin_ = h.header_size;
  offset_ = h.header_size;
  return header_;
}

bool TraceReader::next(RecordView& view, ReadSummary& s) {
  while (true) {
    // Consume the record handed out by the previous call.
    if (pending_ != 0) {
      begin_ += pending_;
      offset_ += pending_;
      pending_ = 0;
    }
    if (!fill(sizeof(format::RecordHeader))) {
      if (end_ > begin_) {
        s.truncated = true;
        s.truncated_at = offset_;
        s.truncated_record = s.records;
      }
      return false;
    }
    format::RecordHeader rh;
    std::memcpy(&rh, buffer_.data() + begin_, sizeof(rh));
    view = RecordView{static_cast<format::RecordKind>(rh.kind), offset_, s.records, {}};
    if (rh.sync != format::kRecordSync)
      fail(offset_, fmt::format("corrupt record {} (bad sync byte 0x{:02x})", s.records, rh.sync));
    if (rh.size < sizeof(rh) || rh.size % format::kRecordAlign != 0 || rh.size > format::kMaxRecordSize)
      fail_record(view, fmt::format("impossible record size {}", rh.size));
    uint32_t expected = format::expected_size(view.kind);
    if (expected != 0 && rh.size < expected)
      fail_record(view, fmt::format("size {} is smaller than the {} bytes of its kind", rh.size, expected));
    if (!fill(rh.size)) {
      s.truncated = true;
      s.truncated_at = offset_;
      s.truncated_record = s.records;
      s.truncated_kind = kind_label(rh.kind);
      return false;
    }
    view.bytes = std::span<const std::byte>(buffer_.data() + begin_, rh.size);
    ++s.records;
    pending_ = rh.size;
    if (!known_kind(rh.kind)) {
      ++s.unknown_records;
    } else if (view.kind == format::RecordKind::kPadding) {
      ++s.padding_records;
    } else {
      return true;
    }
  }
}

}  // namespace contend::analyze
