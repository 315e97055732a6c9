// The record kinds' sizes and names, derived from the one list of record
// types in include/contend/trace_format.h: the values the file format has
// always had, and a header built from the type carries that type's kind.
#include <contend/trace_format.h>

#include <gtest/gtest.h>

#include <string>

namespace contend::format {
namespace {

struct Expected {
  RecordKind kind;
  uint32_t size;
  const char* name;
};

constexpr Expected kEveryKind[] = {
    {RecordKind::kThreadStart, 24, "THREAD_START"},
    {RecordKind::kThreadEnd, 48, "THREAD_END"},
    {RecordKind::kWait, 64, "WAIT"},
    {RecordKind::kLockCounts, 72, "LOCK_COUNTS"},
    {RecordKind::kClockSync, 24, "CLOCK_SYNC"},
    {RecordKind::kDrops, 144, "DROPS"},
    {RecordKind::kThreadName, 40, "THREAD_NAME"},
    {RecordKind::kStack, 24, "STACK"},
    {RecordKind::kModule, 72, "MODULE"},
    {RecordKind::kLockInfo, 48, "LOCK_INFO"},
    {RecordKind::kLockName, 24, "LOCK_NAME"},
    {RecordKind::kHold, 48, "HOLD"},
    {RecordKind::kRelease, 72, "RELEASE"},
    {RecordKind::kConfig, 32, "CONFIG"},
    {RecordKind::kUntracked, 72, "UNTRACKED"},
    {RecordKind::kQuality, 40, "QUALITY"},
    {RecordKind::kCost, 48, "COST"},
    {RecordKind::kFooter, 56, "FOOTER"},
};

TEST(TraceFormat, EveryKindHasItsSizeAndName) {
  int known = 0;
  for (const Expected& e : kEveryKind) {
    SCOPED_TRACE(e.name);
    EXPECT_EQ(expected_size(e.kind), e.size);
    EXPECT_EQ(std::string(kind_name(e.kind)), e.name);
    ++known;
  }
  // Everything else is unknown (and skipped by length); padding has no size.
  for (int k = 0; k < 256; ++k) {
    auto kind = static_cast<RecordKind>(k);
    if (expected_size(kind) != 0) --known;
  }
  EXPECT_EQ(known, 0);
  EXPECT_EQ(expected_size(RecordKind::kPadding), 0u);
  EXPECT_EQ(std::string(kind_name(RecordKind::kPadding)), "PADDING");
  EXPECT_EQ(std::string(kind_name(static_cast<RecordKind>(200))), "UNKNOWN");
}

TEST(TraceFormat, HeadersCarryTheirTypesKindAndSize) {
  static_assert(make_header<WaitRecord>().kind == static_cast<uint8_t>(RecordKind::kWait));
  static_assert(make_header<WaitRecord>().size == sizeof(WaitRecord));
  static_assert(make_header<UntrackedRecord>().kind == static_cast<uint8_t>(RecordKind::kUntracked));
  static_assert(make_header<UntrackedRecord>().size == sizeof(LockCountsRecord));
  static_assert(make_header<StackRecord>(40).size == 40);
  static_assert(make_header<StackRecord>(40).kind == static_cast<uint8_t>(RecordKind::kStack));
  // The spelling that names the kind accepts only the type's own.
  static_assert(make_header<HoldRecord>(RecordKind::kHold).size == sizeof(HoldRecord));
  constexpr RecordHeader pad = padding_header(16);
  EXPECT_EQ(pad.sync, kRecordSync);
  EXPECT_EQ(pad.kind, static_cast<uint8_t>(RecordKind::kPadding));
  EXPECT_EQ(pad.size, 16u);
}

}  // namespace
}  // namespace contend::format
