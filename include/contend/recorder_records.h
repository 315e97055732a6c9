// The records in which the recorder reports on itself: what it could not
// record (QUALITY) and what recording costs on the machine (COST). Part of
// the trace format (trace_format.h includes this file).
#pragma once

#include <contend/trace_records.h>

#include <cstdint>

namespace contend::format {

// What the recorder counted but could not record, written just before the
// footer (a reader that does not know the kind skips it).
struct QualityRecord {
  static constexpr RecordKind kKind = RecordKind::kQuality;
  static constexpr const char* kName = "QUALITY";
  RecordHeader header;
  uint64_t records_lost;          // records that never reached the file (a write failed, or the size limit)
  uint64_t lock_registry_misses;  // lookups that found the lock registry full: those locks have no
                                  // identity and no blame (CONTEND_LOCKS)
  uint64_t reserved[2];
};
static_assert(sizeof(QualityRecord) == 40);

// The recorder's own costs, measured at start-up on this machine (in
// picoseconds, so that a few-ns cost keeps its precision): the report
// multiplies them by what the run did and says how much profiling added.
struct CostRecord {
  static constexpr RecordKind kKind = RecordKind::kCost;
  static constexpr const char* kName = "COST";
  RecordHeader header;
  uint64_t pair_ps;          // an uncontended lock/unlock pair, profiled minus plain
  uint64_t wait_ps;          // one recorded wait, its stack aside
  uint64_t stack_ps;         // one stack capture at the configured depth
  uint64_t hold_ps;          // one timed (sampled) hold
  uint64_t reused_stack_ps;  // one stack reused instead of walked (0 in traces before it)
};
static_assert(sizeof(CostRecord) == 48);

}  // namespace contend::format
