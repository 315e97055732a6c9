// The part of decoding that depends on time (DecodeOptions: --from/--to,
// the time line's buckets, single events): which events fall in the
// window, when a count snapshot or a sampled hold happened, and the sums by
// time. Off (and costing one test per record) unless asked for.
//
// Count snapshots and hold records carry no time of their own. A snapshot
// is taken in a drain pass, just before the pass's CLOCK_SYNC record: it is
// held back until that record and placed at its time. A sampled hold ended
// after the thread's previous timed record and after the previous drain
// pass: it is placed at the later of the two (an estimate, early by at most
// one flush period, 20 ms by default).
#pragma once

#include "model/decoded_trace.h"

#include <contend/trace_format.h>

#include <map>
#include <tuple>
#include <vector>

namespace contend::analyze {

class TimedDecoding {
 public:
  TimedDecoding(DecodedTrace& p, const DecodeOptions& options, const format::FileHeader& header);

  // False when nothing is asked for: the decoder's plain path.
  bool active() const { return active_; }
  bool in_window(uint64_t ticks) const { return p_.window.contains(ticks); }

  // A wait in the window.
  void wait(const format::WaitRecord& r, const LockKey& key);
  // A release (or other timed record of a thread) in the window.
  void thread_time(uint32_t tid, uint64_t ticks);
  // Whether a sampled hold is kept (logging it when events are asked for).
  bool hold(const format::HoldRecord& r);
  // A count snapshot, applied at the next clock sync.
  void counts(LockData& lock, const LockKey& key, uint64_t tid_epoch, const LockCounts& c);
  void clock_sync(uint64_t ticks);
  // After the last record: pending snapshots, counts from the window's start.
  void finish();

 private:
  struct Snapshot {
    LockData* lock;
    LockKey key;
    uint64_t tid_epoch;
    LockCounts counts;
  };
  using BaselineKey = std::tuple<uint64_t, uint32_t, uint8_t, uint64_t>;

  void apply(const Snapshot& s, uint64_t when);

  DecodedTrace& p_;
  bool active_ = false;
  EventLog events_;
  uint64_t last_sync_ = 0;
  FlatMap<uint64_t> thread_last_;  // by tid: its latest timed record
  std::vector<Snapshot> pending_;
  std::map<BaselineKey, LockCounts> baseline_;  // the last snapshot before the window
};

}  // namespace contend::analyze
