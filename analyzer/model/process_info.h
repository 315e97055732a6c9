// What a trace says about its process: its header, its footer, and how
// reading it went. Decoded as is; the report adds totals to it.
#pragma once

#include <contend/trace_format.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace contend::analyze {

struct ProcessInfo {
  std::string trace_path;
  uint32_t pid = 0;
  uint32_t ppid = 0;
  std::string exe_path;
  std::vector<std::string> argv;
  uint64_t start_realtime_ns = 0;
  uint64_t records = 0;
  bool complete = false;  // the last record is a footer
  bool truncated = false;
  uint64_t truncated_at = 0;
  uint64_t dropped_events = 0;
  uint64_t dropped_by_kind[format::kDropClasses] = {};      // from DROPS records, by RecordKind
  std::vector<std::pair<uint32_t, uint64_t>> thread_drops;  // (tid, events), from the footer
  uint32_t threads_unprofiled = 0;
  uint64_t untracked_acquisitions = 0;  // counted outside any lock's row (UNTRACKED records)
  uint64_t records_lost = 0;            // QUALITY: records that never reached the file
  uint64_t lock_registry_misses = 0;    // QUALITY: lookups that found the lock registry full
  // COST: what recording cost per operation where it ran (picoseconds),
  // and the recorded work it applies to.
  bool has_cost = false;
  format::CostRecord cost{};
  uint64_t wait_records = 0;
  uint64_t hold_records = 0;
  uint64_t stack_captures = 0;      // waits, lock births and waker releases that carry a walked stack
  uint64_t stacks_reused = 0;       // waits whose stack was reused, not walked
  uint64_t wait_stacks_walked = 0;  // waits whose stack was walked (part of stack_captures)
  uint64_t unknown_records = 0;
  format::FooterReason end_reason = format::FooterReason::kExit;
};

}  // namespace contend::analyze
