// Reads one trace file as a stream of validated records.
//
// The reader checks framing only (sync byte, size, alignment, minimum size of
// known kinds); what a record means is the model's business. It never holds
// more than one buffer of the file in memory.
//
// Outcomes:
//  - bad magic, unknown (newer) version, damaged header, corrupt record:
//    TraceError naming the file, the byte offset and what is wrong;
//  - the file ends inside a record: reading stops at the last complete one
//    and `truncated` says where (the data before it is good);
//  - a record of a kind this version does not know: skipped and counted.
#pragma once

#include <contend/trace_format.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <span>
#include <string>
#include <vector>

namespace contend::analyze {

struct TraceHeader {
  format::FileHeader raw{};
  std::string exe_path;
  std::vector<std::string> argv;
};

struct RecordView {
  format::RecordKind kind;
  uint64_t offset;                   // byte offset of the record in the file
  uint64_t index;                    // 0-based position among records
  std::span<const std::byte> bytes;  // whole record, header included

  // Copies the record into a struct; records longer than the struct (a newer
  // writer appending fields) are read by their known prefix.
  template <typename Record>
  Record as() const {
    Record r{};
    std::memcpy(&r, bytes.data(), std::min(sizeof(Record), bytes.size()));
    return r;
  }
};

struct ReadSummary {
  uint64_t records = 0;  // every complete record, padding included
  uint64_t padding_records = 0;
  uint64_t unknown_records = 0;
  uint64_t bytes = 0;
  bool truncated = false;
  uint64_t truncated_at = 0;      // byte offset of the incomplete record
  uint64_t truncated_record = 0;  // its index
  std::string truncated_kind;     // its kind, when the header was complete
};

class TraceReader {
 public:
  explicit TraceReader(std::string path);
  ~TraceReader();
  TraceReader(const TraceReader&) = delete;
  TraceReader& operator=(const TraceReader&) = delete;

  // Opens and validates the header. Throws TraceError.
  const TraceHeader& open();

  // Calls `visit` for every complete record of a known kind. Throws
  // TraceError on corruption (and propagates what `visit` throws).
  template <typename Visit>
  ReadSummary read(Visit&& visit);

  // One step of read(): the next record of a known kind, or false at the
  // end (`summary` then says whether the file was truncated).
  bool next(RecordView& view, ReadSummary& summary);

  const std::string& path() const { return path_; }

  [[noreturn]] void fail(uint64_t offset, const std::string& what) const;
  [[noreturn]] void fail_record(const RecordView& r, const std::string& what) const;

 private:
  bool fill(size_t need);  // ensures `need` bytes are buffered; false at EOF

  std::string path_;
  std::FILE* file_ = nullptr;
  TraceHeader header_;
  std::vector<std::byte> buffer_;
  size_t chunk_ = 64 * 1024;  // bytes read ahead, doubling up to 1 MiB
  size_t begin_ = 0;          // first unread byte in buffer_
  size_t end_ = 0;            // one past the last valid byte
  size_t pending_ = 0;        // size of the record last handed out, consumed by next()
  uint64_t offset_ = 0;       // file offset of buffer_[begin_]
};

template <typename Visit>
ReadSummary TraceReader::read(Visit&& visit) {
  ReadSummary s;
  RecordView view{};
  while (next(view, s)) visit(view);
  s.bytes = offset_ + (end_ - begin_);
  return s;
}

}  // namespace contend::analyze
