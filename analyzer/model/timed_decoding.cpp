#include "model/timed_decoding.h"

#include <algorithm>
#include <limits>

namespace contend::analyze {

namespace {

// Nanoseconds since `origin` (CLOCK_MONOTONIC) to this trace's ticks, by the
// header's calibration; saturates at the ends.
uint64_t to_ticks(const format::FileHeader& h, uint64_t origin, uint64_t ns) {
  if (ns == std::numeric_limits<uint64_t>::max()) return ns;
  double at =
      static_cast<double>(origin) + static_cast<double>(ns) - static_cast<double>(h.start_monotonic_ns);
  double per_ns =
      h.calib_ns == 0 ? 1.0 : static_cast<double>(h.calib_ticks) / static_cast<double>(h.calib_ns);
  double ticks = static_cast<double>(h.start_ticks) + at * per_ns;
  if (!(ticks > 0)) return 0;
  if (ticks >= 1.8e19) return std::numeric_limits<uint64_t>::max();
  return static_cast<uint64_t>(ticks);
}

LockCounts minus(const LockCounts& a, const LockCounts& b) {
  auto sub = [](uint64_t x, uint64_t y) { return x > y ? x - y : 0; };
  return {sub(a.acquisitions, b.acquisitions), sub(a.contended, b.contended),
          sub(a.trylock_failures, b.trylock_failures), sub(a.wakes, b.wakes), sub(a.timeouts, b.timeouts)};
}

}  // namespace

TimedDecoding::TimedDecoding(DecodedTrace& p, const DecodeOptions& o, const format::FileHeader& h) : p_(p) {
  uint64_t origin = o.origin_monotonic_ns != 0 ? o.origin_monotonic_ns : h.start_monotonic_ns;
  if (o.from_ns != 0) p_.window.from_ticks = to_ticks(h, origin, o.from_ns);
  if (o.to_ns != std::numeric_limits<uint64_t>::max()) p_.window.to_ticks = to_ticks(h, origin, o.to_ns);
  if (o.time_buckets) {
    // 1 ms buckets to start with: 1024 of them cover a second, then widen.
    uint64_t ms = h.calib_ns == 0 ? 1000000 : h.calib_ticks * 1000000 / h.calib_ns;
    p_.timeline.start(h.start_ticks, ms);
  }
  events_.set_capacity(o.max_events);
  last_sync_ = h.start_ticks;
  active_ = p_.window.limited() || o.time_buckets || o.max_events != 0;
}

void TimedDecoding::wait(const format::WaitRecord& r, const LockKey& key) {
  if (is_lock_contention(static_cast<format::WaitKind>(r.wait_kind)))
    p_.timeline.add_wait(r.start, r.duration, key);
  thread_time(r.tid, r.start + r.duration);
  if (events_.enabled()) {
    TimedEvent e;
    e.start = r.start;
    e.duration = r.duration;
    e.lock = r.lock;
    e.where = r.stack_id;
    e.tid = r.tid;
    e.generation = r.lock_generation;
    e.owner_tid = r.owner_tid;
    e.kind = r.wait_kind;
    e.type = TimedEvent::kWait;
    e.flags = r.flags;
    events_.add(e);
  }
}

void TimedDecoding::thread_time(uint32_t tid, uint64_t ticks) {
  uint64_t& last = thread_last_[tid];
  last = std::max(last, ticks);
}

bool TimedDecoding::hold(const format::HoldRecord& r) {
  const uint64_t* last = thread_last_.find(r.tid);
  uint64_t end = std::max(last_sync_, last != nullptr ? *last : 0);
  if (!in_window(end)) return false;
  if (events_.enabled()) {
    TimedEvent e;
    e.start = end > r.duration ? end - r.duration : 0;
    e.duration = r.duration;
    e.lock = r.lock;
    e.where = r.site;
    e.tid = r.tid;
    e.generation = r.generation;
    e.kind = r.wait_kind;
    e.type = TimedEvent::kHold;
    events_.add(e);
  }
  return true;
}

void TimedDecoding::counts(LockData& lock, const LockKey& key, uint64_t tid_epoch, const LockCounts& c) {
  // A drain pass writes at most about a thousand snapshots before its clock
  // sync; a trace without syncs (damaged, or made by hand) must not make
  // them pile up: they are placed at the latest time seen instead.
  constexpr size_t kMaxPending = 4096;
  if (pending_.size() >= kMaxPending) {
    for (const Snapshot& s : pending_) apply(s, std::max(last_sync_, p_.last_ticks));
    pending_.clear();
  }
  pending_.push_back(Snapshot{&lock, key, tid_epoch, c});
}

void TimedDecoding::apply(const Snapshot& s, uint64_t when) {
  BaselineKey bk{s.key.address, s.key.generation, s.key.kind, s.tid_epoch};
  if (when < p_.window.from_ticks) {
    baseline_[bk] = s.counts;
    return;
  }
  if (!in_window(when)) return;
  LockCounts before;
  if (const LockCounts* earlier = s.lock->counts.find(s.tid_epoch)) {
    before = *earlier;
  } else if (auto it = baseline_.find(bk); it != baseline_.end()) {
    before = it->second;
  }
  s.lock->counts[s.tid_epoch] = s.counts;
  LockCounts delta = minus(s.counts, before);
  if (is_lock_contention(static_cast<format::WaitKind>(s.key.kind)))
    p_.timeline.add_counts(when, delta.acquisitions, delta.contended);
}

void TimedDecoding::clock_sync(uint64_t ticks) {
  for (const Snapshot& s : pending_) apply(s, ticks);
  pending_.clear();
  last_sync_ = std::max(last_sync_, ticks);
}

void TimedDecoding::finish() {
  if (!active_) return;
  for (const Snapshot& s : pending_) apply(s, std::max(last_sync_, p_.last_ticks));
  pending_.clear();
  // A lock's counts in the window: its last snapshot less the one before.
  if (!baseline_.empty()) {
    for (auto& [key, lock] : p_.locks) {
      LockData& data = lock;
      const LockKey& k = key;
      FlatMap<LockCounts> adjusted;
      data.counts.for_each([&](uint64_t tid_epoch, const LockCounts& c) {
        auto it = baseline_.find(BaselineKey{k.address, k.generation, k.kind, tid_epoch});
        adjusted[tid_epoch] = it == baseline_.end() ? c : minus(c, it->second);
      });
      data.counts = std::move(adjusted);
    }
  }
  p_.events = events_.take_sorted();
  p_.events_omitted = events_.omitted();
  p_.events_omitted_max = events_.omitted_max();
}

}  // namespace contend::analyze
