// The decoded model: one trace file read into plain accumulations, still in
// ticks and ids (the streaming stage of the analysis). Memory grows with
// distinct locks, stacks, call sites and threads, never with the number of
// events. It knows the trace format and nothing of reports.
#pragma once

#include "model/address_space.h"
#include "model/clock_model.h"
#include "model/event_log.h"
#include "model/flat_map.h"
#include "model/histogram.h"
#include "model/lock_counts.h"
#include "model/lock_key.h"
#include "model/process_info.h"
#include "model/time_buckets.h"
#include "model/time_window.h"

#include <contend/trace_format.h>

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace contend::analyze {

// True for kinds that are lock contention; condition waits are not.
constexpr bool is_lock_contention(format::WaitKind kind) {
  return kind != format::WaitKind::kCondition;
}

struct LockIdentity {
  uint64_t address;
  uint32_t generation;
  bool operator==(const LockIdentity&) const = default;
};

struct KeyHash {
  size_t operator()(const LockKey& k) const {
    return std::hash<uint64_t>()(k.address * 0x9E3779B97F4A7C15ull ^ (uint64_t{k.generation} << 8) ^ k.kind);
  }
  size_t operator()(const LockIdentity& k) const {
    return std::hash<uint64_t>()(k.address * 0x9E3779B97F4A7C15ull ^ k.generation);
  }
};

struct SiteAccum {
  uint64_t count = 0;
  uint64_t ticks = 0;
  uint64_t max = 0;
  uint64_t first_time = 0;  // ticks, to pick the module loaded then
  void add(uint64_t t, uint64_t when) {
    if (count == 0) first_time = when;
    ++count;
    ticks += t;
    if (t > max) max = t;
  }
};

struct LockData {
  uint64_t completed_waits = 0;        // waits that ended in an acquisition
  Histogram waits;                     // every wait, timed-out ones included (ticks)
  FlatMap<SiteAccum> waiter_stacks;    // by stack id
  Histogram holds;                     // sampled holds (ticks), each weighted by its sampling interval
  Histogram hold_samples_by_duration;  // the same samples, one count each
  struct ThreadHolds {
    uint64_t weighted_ticks = 0;  // sum of duration x weight
    uint64_t weight = 0;          // sum of weights: the holds they stand for
  };
  FlatMap<ThreadHolds> holds_by_tid;  // the samples again, by holding thread
  uint64_t hold_samples = 0;
  // By waiting thread, then stack id; only with DecodeOptions::thread_stacks.
  FlatMap<FlatMap<SiteAccum>> thread_stacks;
  struct HoldSite {
    Histogram holds;
    uint64_t first_time = 0;  // ticks, to pick the module loaded then
  };
  FlatMap<HoldSite> hold_sites;  // by acquiring return address
  // Acquisition counters: the last snapshot of every (tid, table epoch).
  FlatMap<LockCounts> counts;
  // Wait (ticks) by waiting thread, semaphores and futexes only: who
  // waited, for telling events apart, and each thread's lock wait once they
  // are.
  FlatMap<uint64_t> waits_by_tid;
};

struct IdentityData {
  std::string annotation;
  bool has_birth = false;
  format::LockInfoRecord birth{};
  // Wait caused, by the holder's acquiring call site (return address), or
  // by its releasing stack when the acquisition site is unknown.
  FlatMap<SiteAccum> releases_by_site;
  FlatMap<SiteAccum> releases_by_stack;
  uint64_t caused_ticks = 0;
  FlatMap<uint64_t> caused_by_tid;  // wait caused (ticks) by releasing thread
};

struct ThreadData {
  uint32_t tid = 0;
  uint32_t creator_tid = 0;
  std::string name;
  uint64_t start_ticks = 0;
  uint64_t end_ticks = 0;  // 0: no end record
  uint64_t cpu_ns = 0;
  uint64_t lock_wait_ticks = 0;  // condition waits excluded
  bool ended = false;            // an end record was seen
  bool running_at_exit = false;  // still running when the process ended
  bool named = false;            // a THREAD_NAME record was seen
};

struct DecodedTrace {
  ProcessInfo process;
  ClockModel clock;
  AddressSpace space;
  uint32_t hold_sample_every = 0;
  uint32_t stack_depth = 0;
  uint64_t end_ticks = 0;   // footer's end, or 0
  uint64_t last_ticks = 0;  // latest time seen in any record
  uint64_t drops_from_records = 0;
  std::unordered_map<uint64_t, std::vector<uint64_t>> stacks;
  std::unordered_map<LockKey, LockData, KeyHash> locks;
  std::unordered_map<LockIdentity, IdentityData, KeyHash> identities;
  std::unordered_map<uint32_t, ThreadData> threads;
  // UNTRACKED acquisitions: the last snapshot of every (tid, table epoch, wait kind).
  std::map<std::tuple<uint32_t, uint32_t, uint8_t>, uint64_t> untracked;
  // Opt-in (DecodeOptions): the events kept (--from/--to), sums by time,
  // single events by start time.
  TimeWindow window;
  TimeBuckets timeline;
  std::vector<TimedEvent> events;
  uint64_t events_omitted = 0;
  uint64_t events_omitted_max = 0;  // ticks: the longest event left out

  // A stack's return addresses, innermost first; nullptr when its STACK
  // record is missing (dropped, or the trace was cut).
  const std::vector<uint64_t>* stack(uint64_t id) const {
    auto it = stacks.find(id);
    return it == stacks.end() ? nullptr : &it->second;
  }
};

// What decoding keeps.
struct DecodeOptions {
  // Nonzero: waits, holds, releases and counts of other threads are left out
  // (thread records are kept).
  uint32_t only_tid = 0;
  // Keep waits by thread and stack too (LockData::thread_stacks), for
  // profiles that label each stack with its thread (pprof).
  bool thread_stacks = false;
  // --from/--to: only waits that end, holds and releases that happen, and
  // acquisitions counted in [from_ns, to_ns), in nanoseconds since
  // `origin_monotonic_ns` on CLOCK_MONOTONIC (0: the trace's own start).
  uint64_t from_ns = 0;
  uint64_t to_ns = UINT64_MAX;
  uint64_t origin_monotonic_ns = 0;
  bool time_buckets = false;  // sum lock wait and counts by time (DecodedTrace::timeline)
  uint64_t max_events = 0;    // keep up to this many single waits and holds (DecodedTrace::events)
};

// Reads a whole trace. Throws TraceError for files that cannot be read; a
// truncated or footer-less file adds a warning and keeps what it holds.
DecodedTrace decode_trace(const std::string& path, const DecodeOptions& options,
                          std::vector<std::string>& warnings);

}  // namespace contend::analyze
