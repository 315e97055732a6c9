// Every record type of the trace format, each carrying its kind and name
// (kKind, kName): the one list the sizes and names the reader checks are
// derived from, and record headers built from the type. Included by
// trace_format.h; a new record is a struct in trace_records.h (or
// recorder_records.h) and an entry here.
#pragma once

#include <contend/recorder_records.h>
#include <contend/trace_records.h>

#include <array>
#include <cstdint>

namespace contend::format {

// Every record type, each carrying its kind and name: the one list the
// sizes and names below are derived from (a new kind is one struct and one
// entry here).
template <typename... Records>
struct RecordTypes {};
using AllRecordTypes = RecordTypes<ThreadStartRecord, ThreadEndRecord, WaitRecord, LockCountsRecord,
                                   ClockSyncRecord, DropsRecord, ThreadNameRecord, StackRecord, ModuleRecord,
                                   LockInfoRecord, LockNameRecord, HoldRecord, ReleaseRecord, ConfigRecord,
                                   UntrackedRecord, QualityRecord, CostRecord, FooterRecord>;

struct RecordKindInfo {
  uint32_t size = 0;  // the fixed part; 0 = not a kind we know
  const char* name = nullptr;
};

template <typename... Records>
constexpr std::array<RecordKindInfo, 256> make_kind_table(RecordTypes<Records...>) {
  std::array<RecordKindInfo, 256> table{};
  ((table[static_cast<uint8_t>(Records::kKind)] = {static_cast<uint32_t>(sizeof(Records)), Records::kName}),
   ...);
  return table;
}
inline constexpr std::array<RecordKindInfo, 256> kRecordKinds = make_kind_table(AllRecordTypes{});

// Minimum size the reader expects for each kind (0 = unknown, and padding);
// variable kinds (STACK, MODULE, LOCK_NAME, FOOTER) are longer.
constexpr uint32_t expected_size(RecordKind kind) {
  return kRecordKinds[static_cast<uint8_t>(kind)].size;
}

constexpr const char* kind_name(RecordKind kind) {
  if (kind == RecordKind::kPadding) return "PADDING";
  const char* name = kRecordKinds[static_cast<uint8_t>(kind)].name;
  return name != nullptr ? name : "UNKNOWN";
}

template <typename Record>
constexpr RecordHeader make_header() {
  return RecordHeader{kRecordSync, static_cast<uint8_t>(Record::kKind), 0,
                      static_cast<uint32_t>(sizeof(Record))};
}

// The header of a record followed by variable data (STACK, MODULE,
// LOCK_NAME, FOOTER): `total_size` bytes in all, a multiple of 8.
template <typename Record>
constexpr RecordHeader make_header(uint32_t total_size) {
  return RecordHeader{kRecordSync, static_cast<uint8_t>(Record::kKind), 0, total_size};
}

// The spelling that names the kind too: it must be the record's own (a
// mismatch does not compile).
template <typename Record>
consteval RecordHeader make_header(RecordKind kind) {
  if (kind != Record::kKind) throw "make_header: that kind is not this record type's";
  return make_header<Record>();
}

// Filler up to the end of a ring buffer.
constexpr RecordHeader padding_header(uint32_t size) {
  return RecordHeader{kRecordSync, static_cast<uint8_t>(RecordKind::kPadding), 0, size};
}

}  // namespace contend::format
