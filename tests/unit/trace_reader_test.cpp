// The reader's verdicts on good, damaged and foreign files.
#include "read/trace_reader.h"
#include "aggregate/aggregator.h"
#include "read/trace_error.h"
#include "test_session.h"
#include "trace_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace contend::analyze {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;
using testing::TraceBuilder;

std::string error_of(const std::string& path) {
  try {
    TraceReader reader(path);
    reader.open();
    reader.read([](const RecordView&) {});
  } catch (const TraceError& e) {
    return e.what();
  }
  return "";
}

class TraceReaderTest : public ::testing::Test {
 protected:
  TempDir dir;
  std::string path = dir.file("trace.bin");
};

TEST_F(TraceReaderTest, ReadsHeaderStringsAndEveryRecord) {
  TraceBuilder b;
  b.add(TraceBuilder::thread_start(7, 1000))
      .add(TraceBuilder::wait(0x1000, 7, 1100, 50))
      .add(TraceBuilder::footer(5000, 1));
  b.write(path);
  TraceReader reader(path);
  const TraceHeader& h = reader.open();
  EXPECT_EQ(h.raw.pid, 4242u);
  EXPECT_EQ(h.exe_path, "/usr/bin/example");
  EXPECT_EQ(h.argv, (std::vector<std::string>{"example", "--flag"}));
  std::vector<format::RecordKind> kinds;
  ReadSummary s = reader.read([&](const RecordView& v) { kinds.push_back(v.kind); });
  EXPECT_EQ(kinds, (std::vector<format::RecordKind>{format::RecordKind::kThreadStart,
                                                    format::RecordKind::kWait, format::RecordKind::kFooter}));
  EXPECT_FALSE(s.truncated);
  EXPECT_EQ(s.records, 3u);
}

TEST_F(TraceReaderTest, EmptyFileIsATruncatedHeader) {
  TraceBuilder::write_bytes(path, {});
  EXPECT_THAT(error_of(path), HasSubstr("truncated at byte 0 in the file header"));
}

TEST_F(TraceReaderTest, ForeignFileHasBadMagic) {
  std::string text = "this is not a trace, just some text long enough for a header....................";
  TraceBuilder::write_bytes(
      path, std::vector<std::byte>(reinterpret_cast<const std::byte*>(text.data()),
                                   reinterpret_cast<const std::byte*>(text.data()) + text.size()));
  EXPECT_THAT(error_of(path), HasSubstr("not a contend trace (bad magic at byte 0)"));
}

TEST_F(TraceReaderTest, NewerVersionIsRefusedByName) {
  TraceBuilder b;
  b.header().version = 2;
  b.write(path);
  EXPECT_THAT(error_of(path),
              HasSubstr("format version 2 is newer than this contend-report reads (version 1)"));
}

TEST_F(TraceReaderTest, InconsistentHeaderSizesAreCorrupt) {
  TraceBuilder b;
  auto bytes = b.bytes();
  uint32_t bogus = 12;  // smaller than the header itself
  std::memcpy(bytes.data() + offsetof(format::FileHeader, header_size), &bogus, sizeof(bogus));
  TraceBuilder::write_bytes(path, bytes);
  EXPECT_THAT(error_of(path), HasSubstr("corrupt file header: inconsistent sizes at byte 12"));
}

TEST_F(TraceReaderTest, TruncatedTailKeepsEveryCompleteRecord) {
  TraceBuilder b;
  b.add(TraceBuilder::wait(0x1000, 7, 1100, 50)).add(TraceBuilder::wait(0x1000, 7, 1200, 60));
  auto bytes = b.bytes();
  size_t second = bytes.size() - sizeof(format::WaitRecord);
  bytes.resize(bytes.size() - 10);  // cut the second record short
  TraceBuilder::write_bytes(path, bytes);
  TraceReader reader(path);
  reader.open();
  int waits = 0;
  ReadSummary s = reader.read([&](const RecordView&) { ++waits; });
  EXPECT_EQ(waits, 1);
  EXPECT_TRUE(s.truncated);
  EXPECT_EQ(s.truncated_at, second);
  EXPECT_EQ(s.truncated_record, 1u);
  EXPECT_EQ(s.truncated_kind, "WAIT");
}

TEST_F(TraceReaderTest, TruncationInsideARecordHeaderIsTruncationToo) {
  TraceBuilder b;
  b.add(TraceBuilder::wait(0x1000, 7, 1100, 50));
  auto bytes = b.bytes();
  bytes.resize(bytes.size() + 3, std::byte{0xC7});  // 3 bytes of a next header
  TraceBuilder::write_bytes(path, bytes);
  TraceReader reader(path);
  reader.open();
  ReadSummary s = reader.read([](const RecordView&) {});
  EXPECT_TRUE(s.truncated);
  EXPECT_EQ(s.truncated_at, bytes.size() - 3);
}

TEST_F(TraceReaderTest, BadSyncByteIsCorruptionWithItsOffset) {
  TraceBuilder b;
  b.add(TraceBuilder::wait(0x1000, 7, 1100, 50));
  auto w = TraceBuilder::wait(0x1000, 7, 1200, 60);
  w.header.sync = 0x00;
  b.add(w);
  auto bytes = b.bytes();
  TraceBuilder::write_bytes(path, bytes);
  size_t offset = bytes.size() - sizeof(format::WaitRecord);
  EXPECT_THAT(error_of(path),
              HasSubstr("corrupt record 1 (bad sync byte 0x00) at byte " + std::to_string(offset)));
}

TEST_F(TraceReaderTest, ImpossibleSizesAreCorruption) {
  TraceBuilder b;
  auto w = TraceBuilder::wait(0x1000, 7, 1100, 50);
  w.header.size = 20;  // not a multiple of 8
  b.add(w);
  b.write(path);
  EXPECT_THAT(error_of(path), HasSubstr("impossible record size 20"));

  TraceBuilder small;
  auto s = TraceBuilder::wait(0x1000, 7, 1100, 50);
  s.header.size = 16;  // a WAIT is 64 bytes
  small.add(s);
  small.write(path);
  EXPECT_THAT(error_of(path), HasSubstr("size 16 is smaller than the 64 bytes of its kind"));
}

TEST_F(TraceReaderTest, UnknownKindsAreSkippedAndCounted) {
  TraceBuilder b;
  format::RecordHeader future{format::kRecordSync, 77, 0, 24};
  std::byte payload[16] = {};
  b.add_raw(&future, sizeof(future)).add_raw(payload, sizeof(payload));
  b.add(TraceBuilder::wait(0x1000, 7, 1100, 50));
  b.write(path);
  TraceReader reader(path);
  reader.open();
  int seen = 0;
  ReadSummary s = reader.read([&](const RecordView& v) {
    EXPECT_EQ(v.kind, format::RecordKind::kWait);
    ++seen;
  });
  EXPECT_EQ(seen, 1);
  EXPECT_EQ(s.unknown_records, 1u);
}

TEST_F(TraceReaderTest, AggregatorReportsTruncationAsAWarningWithTheOffset) {
  TraceBuilder b;
  b.add(TraceBuilder::counts(0x1000, 7, 1, 10, 1)).add(TraceBuilder::wait(0x1000, 7, 1100, 50));
  auto bytes = b.bytes();
  size_t cut = bytes.size() - 8;
  bytes.resize(cut);
  TraceBuilder::write_bytes(path, bytes);
  Aggregator a;
  a.add_trace(path);
  Report r = a.finish();
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_THAT(r.warnings[0],
              HasSubstr("truncated at byte " + std::to_string(cut - sizeof(format::WaitRecord) + 8)));
  ASSERT_EQ(r.locks.size(), 1u);
  EXPECT_EQ(r.locks[0].counts.acquisitions, 10u);
  EXPECT_EQ(r.summary.incomplete_traces, 1u);
}

TEST_F(TraceReaderTest, UnknownWaitKindIsCorruption) {
  TraceBuilder b;
  auto w = TraceBuilder::wait(0x1000, 7, 1100, 50);
  w.wait_kind = 42;
  b.add(w);
  b.write(path);
  try {
    Aggregator a;
    a.add_trace(path);
    FAIL() << "no error";
  } catch (const TraceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("kind WAIT): unknown wait kind 42"));
  }
}

}  // namespace
}  // namespace contend::analyze
