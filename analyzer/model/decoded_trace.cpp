#include "model/decoded_trace.h"

#include "model/timed_decoding.h"
#include "read/trace_error.h"
#include "read/trace_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace contend::analyze {

namespace {

bool valid_wait_kind(uint8_t k) {
  return k >= 1 && k < format::kWaitKindCount;
}

// Decodes records into a DecodedTrace; one instance per trace.
class Decoder {
 public:
  Decoder(DecodedTrace& p, const TraceReader& reader, const DecodeOptions& options, TimedDecoding& timed)
      : p_(p),
        reader_(reader),
        only_tid_(options.only_tid),
        thread_stacks_(options.thread_stacks),
        timed_(timed) {}

  void apply(const RecordView& v) {
    using format::RecordKind;
    switch (v.kind) {
      case RecordKind::kWait: wait(v); break;
      case RecordKind::kLockCounts: counts(v); break;
      case RecordKind::kHold: hold(v); break;
      case RecordKind::kRelease: release(v); break;
      case RecordKind::kStack: stack(v); break;
      case RecordKind::kModule: module(v); break;
      case RecordKind::kLockInfo: lock_info(v); break;
      case RecordKind::kLockName: lock_name(v); break;
      case RecordKind::kThreadStart: thread_start(v); break;
      case RecordKind::kThreadEnd: thread_end(v); break;
      case RecordKind::kThreadName: thread_name(v); break;
      case RecordKind::kClockSync: clock_sync(v); break;
      case RecordKind::kDrops: drops(v); break;
      case RecordKind::kConfig: config(v); break;
      case RecordKind::kUntracked: untracked(v); break;
      case RecordKind::kQuality: quality(v); break;
      case RecordKind::kCost:
        p_.process.cost = v.as<format::CostRecord>();
        p_.process.has_cost = true;
        break;
      case RecordKind::kFooter: footer(v); break;
      case RecordKind::kPadding: break;
    }
  }

 private:
  void seen(uint64_t ticks) { p_.last_ticks = std::max(p_.last_ticks, ticks); }

  uint8_t checked_kind(const RecordView& v, uint8_t kind) {
    if (!valid_wait_kind(kind)) reader_.fail_record(v, fmt::format("unknown wait kind {}", kind));
    return kind;
  }

  ThreadData& thread(uint32_t tid) {
    // Records come in runs from one thread's ring.
    if (last_thread_ != nullptr && last_tid_ == tid) return *last_thread_;
    ThreadData*& cached = thread_index_[tid];
    if (cached == nullptr) {
      cached = &p_.threads[tid];
      cached->tid = tid;
    }
    last_tid_ = tid;
    last_thread_ = cached;
    return *cached;
  }

  LockData& lock(const LockKey& key) {
    if (last_lock_ != nullptr && last_key_ == key) return *last_lock_;
    // Generation 0 (nearly every lock) is found through a flat index.
    LockData* d = nullptr;
    uint64_t packed = (key.address << 8) | key.kind;
    if (key.generation == 0) {
      LockData*& cached = gen0_locks_[packed];
      if (cached == nullptr) cached = &p_.locks[key];
      d = cached;
    } else {
      d = &p_.locks[key];
    }
    last_key_ = key;
    last_lock_ = d;
    return *d;
  }

  IdentityData& identity(const LockIdentity& key) {
    if (key.generation == 0) {
      IdentityData*& cached = gen0_identities_[key.address];
      if (cached == nullptr) cached = &p_.identities[key];
      return *cached;
    }
    return p_.identities[key];
  }

  void wait(const RecordView& v) {
    auto r = v.as<format::WaitRecord>();
    ++p_.process.wait_records;
    if (r.stack_id != 0) {
      if ((r.flags & format::kWaitStackReused) != 0) {
        ++p_.process.stacks_reused;
      } else {
        ++p_.process.stack_captures;
        ++p_.process.wait_stacks_walked;
      }
    }
    if (skipped(r.tid)) return;
    LockKey key{r.lock, r.lock_generation, checked_kind(v, r.wait_kind)};
    if (timed_.active()) {
      if (!timed_.in_window(r.start + r.duration)) return;
      timed_.wait(r, key);
    }
    LockData& lock = this->lock(key);
    lock.waits.add(r.duration);
    if ((r.flags & (format::kWaitTimedOut | format::kWaitInterrupted)) == 0) ++lock.completed_waits;
    lock.waiter_stacks[r.stack_id].add(r.duration, r.start);
    if (thread_stacks_) lock.thread_stacks[r.tid][r.stack_id].add(r.duration, r.start);
    auto kind = static_cast<format::WaitKind>(r.wait_kind);
    // Only a semaphore or a futex can be an event (aggregate/event_waits.h):
    // the by-thread sums are for them; a lookup per wait of every lock was
    // a tenth of decoding.
    if (kind == format::WaitKind::kSemaphore || kind == format::WaitKind::kFutex)
      lock.waits_by_tid[r.tid] += r.duration;
    if (is_lock_contention(kind)) thread(r.tid).lock_wait_ticks += r.duration;
    seen(r.start + r.duration);
  }

  void counts(const RecordView& v) {
    auto r = v.as<format::LockCountsRecord>();
    if (skipped(r.tid)) return;
    LockKey key{r.lock, r.lock_generation, checked_kind(v, r.wait_kind)};
    LockData& lock = this->lock(key);
    uint64_t tid_epoch = (uint64_t{r.tid} << 32) | r.table_epoch;
    if (timed_.active()) {
      timed_.counts(lock, key, tid_epoch, LockCounts::of(r));
      return;
    }
    lock.counts[tid_epoch] = LockCounts::of(r);
  }

  void untracked(const RecordView& v) {
    auto r = v.as<format::LockCountsRecord>();
    if (skipped(r.tid)) return;
    p_.untracked[{r.tid, r.table_epoch, checked_kind(v, r.wait_kind)}] = r.acquisitions;
  }

  void hold(const RecordView& v) {
    auto r = v.as<format::HoldRecord>();
    ++p_.process.hold_records;
    if (skipped(r.tid)) return;
    uint8_t kind = checked_kind(v, r.wait_kind);
    if (timed_.active() && !timed_.hold(r)) return;
    LockData& lock = this->lock(LockKey{r.lock, r.generation, kind});
    uint64_t weight = r.weight == 0 ? 1 : r.weight;  // each sample stands for `weight` holds
    lock.holds.add(r.duration, weight);
    lock.hold_samples_by_duration.add(r.duration);
    LockData::ThreadHolds& mine = lock.holds_by_tid[r.tid];
    mine.weighted_ticks += r.duration * weight;
    mine.weight += weight;
    LockData::HoldSite& site = lock.hold_sites[r.site];
    if (site.holds.count() == 0) site.first_time = p_.last_ticks;
    site.holds.add(r.duration, weight);
    ++lock.hold_samples;
  }

  void release(const RecordView& v) {
    auto r = v.as<format::ReleaseRecord>();
    if (r.stack_id != 0) ++p_.process.stack_captures;
    if (skipped(r.tid)) return;
    if (timed_.active()) {
      if (!timed_.in_window(r.time)) return;
      timed_.thread_time(r.tid, r.time);
    }
    IdentityData& id = identity(LockIdentity{r.lock, r.generation});
    SiteAccum& acc =
        r.acquire_site != 0 ? id.releases_by_site[r.acquire_site] : id.releases_by_stack[r.stack_id];
    acc.add(r.caused, r.time);
    acc.count += r.releases > 1 ? r.releases - 1 : 0;  // summed releases
    id.caused_ticks += r.caused;
    id.caused_by_tid[r.tid] += r.caused;
    seen(r.time);
  }

  void stack(const RecordView& v) {
    auto r = v.as<format::StackRecord>();
    if (r.depth > format::kMaxStackDepth || sizeof(r) + r.depth * sizeof(uint64_t) > v.bytes.size())
      reader_.fail_record(v, fmt::format("stack depth {} does not fit in {} bytes", r.depth, v.bytes.size()));
    std::vector<uint64_t> frames(r.depth);
    if (!frames.empty()) std::memcpy(frames.data(), v.bytes.data() + sizeof(r), r.depth * sizeof(uint64_t));
    p_.stacks.try_emplace(r.id, std::move(frames));
  }

  void module(const RecordView& v) {
    auto r = v.as<format::ModuleRecord>();
    size_t need = sizeof(r) + size_t{r.segment_count} * sizeof(format::ModuleSegment) + r.path_size;
    if (need > v.bytes.size())
      reader_.fail_record(v, fmt::format("{} segments and a {}-byte path do not fit in {} bytes",
                                         r.segment_count, r.path_size, v.bytes.size()));
    std::vector<format::ModuleSegment> segments(r.segment_count);
    if (!segments.empty())
      std::memcpy(segments.data(), v.bytes.data() + sizeof(r),
                  segments.size() * sizeof(format::ModuleSegment));
    const char* path = reinterpret_cast<const char*>(v.bytes.data()) + sizeof(r) +
                       segments.size() * sizeof(format::ModuleSegment);
    p_.space.add(r, segments, std::string(path, r.path_size));
  }

  void lock_info(const RecordView& v) {
    auto r = v.as<format::LockInfoRecord>();
    if (r.birth_stack != 0) ++p_.process.stack_captures;
    IdentityData& id = identity(LockIdentity{r.lock, r.generation});
    // The first birth wins; an init after a first use is a new generation.
    if (!id.has_birth || r.birth == static_cast<uint8_t>(format::LockBirth::kInit)) {
      id.birth = r;
      id.has_birth = true;
    }
  }

  void lock_name(const RecordView& v) {
    auto r = v.as<format::LockNameRecord>();
    if (sizeof(r) + r.name_size > v.bytes.size())
      reader_.fail_record(
          v, fmt::format("a {}-byte name does not fit in {} bytes", r.name_size, v.bytes.size()));
    const char* name = reinterpret_cast<const char*>(v.bytes.data()) + sizeof(r);
    p_.identities[LockIdentity{r.lock, r.generation}].annotation.assign(name, r.name_size);
  }

  void thread_start(const RecordView& v) {
    auto r = v.as<format::ThreadStartRecord>();
    ThreadData& t = thread(r.tid);
    t.start_ticks = r.time;
    t.creator_tid = r.creator_tid;
    seen(r.time);
  }

  void thread_end(const RecordView& v) {
    auto r = v.as<format::ThreadEndRecord>();
    ThreadData& t = thread(r.tid);
    t.end_ticks = r.time;
    t.cpu_ns = r.cpu_ns;
    t.ended = true;
    t.running_at_exit = (r.flags & format::kThreadEndAtProcessExit) != 0;
    // A name given by annotation or pthread_setname_np wins over the
    // kernel's name at the end.
    if (!t.named) t.name.assign(r.name, strnlen(r.name, sizeof(r.name)));
    seen(r.time);
  }

  void thread_name(const RecordView& v) {
    auto r = v.as<format::ThreadNameRecord>();
    ThreadData& t = thread(r.tid);
    t.name.assign(r.name, strnlen(r.name, sizeof(r.name)));
    t.named = true;
  }

  void clock_sync(const RecordView& v) {
    auto r = v.as<format::ClockSyncRecord>();
    p_.clock.add_sync(r.ticks, r.monotonic_ns);
    seen(r.ticks);
    if (timed_.active()) timed_.clock_sync(r.ticks);
  }

  void drops(const RecordView& v) {
    auto r = v.as<format::DropsRecord>();
    for (uint32_t k = 0; k < format::kDropClasses; ++k) {
      p_.drops_from_records += r.dropped[k];
      p_.process.dropped_by_kind[k] += r.dropped[k];
    }
  }

  void config(const RecordView& v) {
    auto r = v.as<format::ConfigRecord>();
    p_.hold_sample_every = r.hold_sample_every;
    p_.stack_depth = r.stack_depth;
  }

  void quality(const RecordView& v) {
    auto r = v.as<format::QualityRecord>();
    p_.process.records_lost = r.records_lost;
    p_.process.lock_registry_misses = r.lock_registry_misses;
  }

  void footer(const RecordView& v) {
    auto r = v.as<format::FooterRecord>();
    p_.clock.add_sync(r.end_ticks, r.end_monotonic_ns);
    p_.end_ticks = r.end_ticks;
    p_.process.dropped_events = r.dropped_events;
    p_.process.threads_unprofiled = r.threads_unprofiled;
    p_.process.end_reason = static_cast<format::FooterReason>(r.reason);
    uint64_t room = (v.bytes.size() - sizeof(r)) / sizeof(format::ThreadDrops);
    if (r.thread_drop_count > room)
      reader_.fail_record(v, fmt::format("{} thread drop entries do not fit in {} bytes", r.thread_drop_count,
                                         v.bytes.size()));
    p_.process.thread_drops.clear();
    for (uint32_t i = 0; i < r.thread_drop_count; ++i) {
      format::ThreadDrops d;
      std::memcpy(&d, v.bytes.data() + sizeof(r) + i * sizeof(d), sizeof(d));
      p_.process.thread_drops.emplace_back(d.tid, d.dropped);
    }
  }

  bool skipped(uint32_t tid) const { return only_tid_ != 0 && tid != only_tid_; }

  // unordered_map nodes are stable: these stay valid as the maps grow.
  FlatMap<LockData*> gen0_locks_;
  FlatMap<ThreadData*> thread_index_;
  FlatMap<IdentityData*> gen0_identities_;
  LockKey last_key_{};
  LockData* last_lock_ = nullptr;
  uint32_t last_tid_ = 0;
  ThreadData* last_thread_ = nullptr;

  DecodedTrace& p_;
  const TraceReader& reader_;
  uint32_t only_tid_;
  bool thread_stacks_;
  TimedDecoding& timed_;
};

}  // namespace

DecodedTrace decode_trace(const std::string& path, const DecodeOptions& options,
                          std::vector<std::string>& warnings) {
  TraceReader reader(path);
  const TraceHeader& h = reader.open();
  DecodedTrace p;
  p.process.trace_path = path;
  p.process.pid = h.raw.pid;
  p.process.ppid = h.raw.ppid;
  p.process.exe_path = h.exe_path;
  p.process.argv = h.argv;
  p.process.start_realtime_ns = h.raw.start_realtime_ns;
  p.clock.set_header(h.raw);
  p.last_ticks = h.raw.start_ticks;
  TimedDecoding timed(p, options, h.raw);
  Decoder decoder(p, reader, options, timed);
  bool last_was_footer = false;
  ReadSummary rs = reader.read([&](const RecordView& v) {
    decoder.apply(v);
    last_was_footer = v.kind == format::RecordKind::kFooter;
  });
  // A footer followed by more records was written before an exec that
  // failed: the process went on, and only a final footer completes it.
  p.process.complete = last_was_footer;
  timed.finish();
  p.process.records = rs.records - rs.padding_records;
  p.process.unknown_records = rs.unknown_records;
  p.process.truncated = rs.truncated;
  p.process.truncated_at = rs.truncated_at;
  if (rs.truncated) {
    warnings.push_back(fmt::format(
        "{}: truncated at byte {} in record {}{}; reporting the {} complete records before it", path,
        rs.truncated_at, rs.truncated_record,
        rs.truncated_kind.empty() ? "" : fmt::format(" (kind {})", rs.truncated_kind), p.process.records));
  } else if (!p.process.complete) {
    warnings.push_back(
        fmt::format("{}: no footer: the trace was not finished (the process was killed, or the disk "
                    "filled up or hit its size limit); events after its last complete record are missing",
                    path));
  }
  if (!p.process.complete) p.process.dropped_events = p.drops_from_records;
  for (const auto& [key, acquisitions] : p.untracked) p.process.untracked_acquisitions += acquisitions;
  if (rs.unknown_records > 0)
    warnings.push_back(
        fmt::format("{}: skipped {} records of kinds this version does not know", path, rs.unknown_records));
  return p;
}

}  // namespace contend::analyze
