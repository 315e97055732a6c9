#include "output/drain.h"

#include "base/clock.h"
#include "base/process_threads.h"
#include "base/real_functions.h"
#include "base/recorder_settings.h"
#include "base/warn.h"
#include "output/module_map.h"
#include "record/acquisition.h"
#include "record/lock_registry.h"
#include "thread/current_thread.h"

#include <linux/futex.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <algorithm>
#include <climits>
#include <cstring>
#include <ctime>

namespace contend::preload {

namespace {

uint64_t count_records(const std::byte* data, size_t size) {
  uint64_t n = 0;
  size_t off = 0;
  while (off + sizeof(format::RecordHeader) <= size) {
    format::RecordHeader h;
    std::memcpy(&h, data + off, sizeof(h));
    if (h.size < sizeof(h)) break;  // cannot happen for our own rings
    if (h.kind != static_cast<uint8_t>(format::RecordKind::kPadding)) ++n;
    off += h.size;
  }
  return n;
}

uint64_t cpu_time_ns(clockid_t id) {
  timespec ts;
  if (clock_gettime(id, &ts) != 0) return 0;
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace

void Drain::copy_ring(ThreadState& t) {
  // Bounded passes: a producer that keeps pushing cannot hold us here.
  for (int pass = 0; pass < 2; ++pass) {
    SpscRing::Readable r = t.ring.peek();
    if (r.total() == 0) return;
    writer_->append(r.first, r.first_size, count_records(r.first, r.first_size));
    if (r.second_size > 0) writer_->append(r.second, r.second_size, count_records(r.second, r.second_size));
    prometheus_file().observe(r.first, r.first_size);
    prometheus_file().observe(r.second, r.second_size);
    t.ring.release(r.total());
  }
}

void Drain::write_counts(const ThreadState& t) {
  uint32_t epoch = t.table.epoch();
  t.table.for_each_used(
      [&](uint64_t key, const LockSlot& s) { writer_->append(lock_counts_record(t.tid, epoch, key, s)); });
}

void Drain::finish_thread(ThreadState& t, bool still_running) {
  copy_ring(t);
  write_counts(t);
  prometheus_file().retire(t);
  if (t.pending_release.releases != 0) writer_->append(pending_release_record(t));
  uint64_t drops = t.total_dropped();
  if (drops > 0) {
    format::DropsRecord d{};
    d.header = format::make_header<format::DropsRecord>();
    d.tid = t.tid;
    for (uint32_t k = 0; k < format::kDropClasses; ++k)
      d.dropped[k] = t.dropped[k].load(std::memory_order_relaxed);
    writer_->append(d);
    dropped_total_ += drops;
    if (thread_drops_.size() < format::kMaxFooterThreadDrops) {
      thread_drops_.push_back({t.tid, 0, drops});
    } else {
      thread_drops_.back().tid = 0;  // "other threads"
      thread_drops_.back().dropped += drops;
    }
  }
  format::ThreadEndRecord e{};
  e.header = format::make_header<format::ThreadEndRecord>();
  e.tid = t.tid;
  if (still_running) {
    e.flags = format::kThreadEndAtProcessExit;
    e.time = now_ticks();
    clockid_t cid;
    if (pthread_equal(t.handle, pthread_self())) {
      e.cpu_ns = cpu_time_ns(CLOCK_THREAD_CPUTIME_ID);
      prctl(PR_GET_NAME, e.name, 0, 0, 0);
    } else {
      if (pthread_getcpuclockid(t.handle, &cid) == 0) e.cpu_ns = cpu_time_ns(cid);
      pthread_getname_np(t.handle, e.name, sizeof(e.name));
    }
  } else {
    e.time = t.end_ticks;
    e.cpu_ns = t.cpu_ns;
    std::memcpy(e.name, t.name, sizeof(e.name));
  }
  e.name[sizeof(e.name) - 1] = '\0';
  writer_->append(e);
}

void Drain::write_clock_sync() {
  format::ClockSyncRecord c{};
  c.header = format::make_header<format::ClockSyncRecord>();
  c.monotonic_ns = monotonic_ns();
  c.ticks = now_ticks();
  writer_->append(c);
}

void Drain::scan_modules(bool force) {
  ModuleScanGuard guard;
  module_map().scan(&append_to_writer, writer_, now_ticks(), force);
}

void Drain::write_changed_counts(const ThreadState& t) {
  changed_counts_.clear();
  snapshots_.collect_changed(t, changed_counts_);
  snapshot_records_ += changed_counts_.size();
  if (!changed_counts_.empty())
    writer_->append(changed_counts_.data(), sizeof(format::LockCountsRecord) * changed_counts_.size(),
                    changed_counts_.size());
}

void Drain::sweep(Counts counts) {
  scan_modules(false);
  registry_->for_each_live([&](ThreadState& t, SlotState state) {
    if (state == SlotState::kExited) {
      finish_thread(t, false);
      snapshots_.forget(t.slot_index);
      registry_->recycle(&t);
      return;
    }
    // Counts before the ring: the last counts of a generation or of a full
    // table, which the thread pushes into its ring itself, then come after
    // any snapshot of ours that raced with them, and win.
    if (counts == Counts::kChanged) write_changed_counts(t);
    if (counts == Counts::kAll) write_counts(t);
    copy_ring(t);
  });
}

void Drain::drain_once() {
  // Counts once per flush period (the release-summing period), however
  // often full rings wake us: a killed process loses at most one period.
  // A snapshot of more than kSnapshotRecords changed locks puts the next
  // one off by as many periods (thousands of locks, all busy, would write
  // tens of MB/s): at most about 3.6 MB/s at the default 20 ms.
  constexpr uint64_t kSnapshotRecords = 1024;
  uint64_t now = now_ticks();
  bool snapshot = now - last_snapshot_ >= snapshot_gap_;
  snapshot_records_ = 0;
  sweep(snapshot ? Counts::kChanged : Counts::kNone);
  if (snapshot) {
    last_snapshot_ = now;
    snapshot_gap_ =
        settings().release_flush_ticks * std::max<uint64_t>(1, snapshot_records_ / kSnapshotRecords);
  }
  write_clock_sync();
  writer_->flush();
  prometheus_file().maybe_write(*registry_, writer_->path().c_str(), dropped_total_, false);
}

void Drain::finish(format::FooterReason reason) {
  scan_modules(false);
  registry_->for_each_live([&](ThreadState& t, SlotState state) {
    finish_thread(t, state == SlotState::kActive);
    snapshots_.forget(t.slot_index);
    registry_->recycle(&t);
  });
  prometheus_file().maybe_write(*registry_, writer_->path().c_str(), dropped_total_, true);
  write_footer(reason);
}

void Drain::checkpoint(format::FooterReason reason) {
  sweep(Counts::kAll);
  // Blame a running thread is still summing would be lost with the image.
  // (The exec'ing thread flushed its own first. Should exec fail, another
  // thread's sum written here is written again when it flushes it: exec
  // rarely fails, and losing blame on every successful one is worse.)
  registry_->for_each_live([&](ThreadState& t, SlotState) {
    if (t.pending_release.releases != 0) writer_->append(pending_release_record(t));
  });
  write_footer(reason);
}

void Drain::write_quality() {
  format::QualityRecord q{};
  q.header = format::make_header<format::QualityRecord>();
  q.records_lost = writer_->records_lost();
  q.lock_registry_misses = lock_registry().full_misses();
  writer_->append(q);
}

void Drain::write_footer(format::FooterReason reason) {
  write_clock_sync();
  writer_->flush();
  writer_->begin_final();
  write_quality();
  format::FooterRecord f{};
  f.header = format::make_header<format::FooterRecord>(
      static_cast<uint32_t>(sizeof(f) + sizeof(format::ThreadDrops) * thread_drops_.size()));
  f.end_monotonic_ns = monotonic_ns();
  f.end_ticks = now_ticks();
  f.dropped_events = dropped_total_;
  f.threads = registry_->threads_seen();
  f.threads_unprofiled = registry_->threads_refused();
  f.reason = static_cast<uint32_t>(reason);
  f.thread_drop_count = static_cast<uint32_t>(thread_drops_.size());
  writer_->flush(true);
  f.records_written = writer_->records();
  writer_->append(&f, sizeof(f), 1);
  writer_->append(thread_drops_.data(), sizeof(format::ThreadDrops) * thread_drops_.size(), 0);
  writer_->flush(true);
}

bool Drain::last_thread_left() const {
  // Our registry first (no system call while a profiled thread runs), then
  // the kernel, which also sees threads that never attached.
  if (registry_->any_running()) return false;
  return other_running_threads(static_cast<pid_t>(gettid())) == 0;
}

void* Drain::thread_main(void* arg) {
  auto* self = static_cast<Drain*>(arg);
  never_record_on_this_thread();
  prctl(PR_SET_NAME, "contend-drain", 0, 0, 0);
  if (self->before_first_pass_ != nullptr && !self->before_first_pass_()) return nullptr;
  self->last_snapshot_ = now_ticks();  // the first counts after a period
  self->snapshot_gap_ = settings().release_flush_ticks;
  timespec period{static_cast<time_t>(self->period_ms_ / 1000),
                  static_cast<long>(self->period_ms_ % 1000) * 1000000L};
  uint32_t seq = self->wake_seq_.load(std::memory_order_acquire);
  while (self->stop_word_.load(std::memory_order_acquire) == 0) {
    // Sleep until the period passes, a ring fills up, or stop_thread().
    real().syscall(SYS_futex, &self->wake_seq_, FUTEX_WAIT_PRIVATE, seq, &period, nullptr, 0);
    if (self->stop_word_.load(std::memory_order_acquire) != 0) break;
    // The sequence first, then the flag: a request made after the flag is
    // cleared bumps the sequence past `seq` and ends the next sleep at once;
    // one made before is served by the pass below.
    seq = self->wake_seq_.load(std::memory_order_acquire);
    self->wake_requested_.store(false, std::memory_order_release);
    self->drain_once();
    // The program's threads are all gone (main ended with pthread_exit, the
    // others since): end, so that glibc ends the process as it would have
    // without us, with exit(0) on this thread; the exit path then finishes
    // the trace here (stop_thread() does not join from this thread). Nobody
    // is left to start a thread, so nothing can race with this.
    if (self->last_thread_left()) break;
  }
  return nullptr;
}

void Drain::request_pass() {
  // Callers checked that the thread runs (an atomic); running_ is ours only.
  // A plain read first: while a request is pending, pushes from every thread
  // must not keep writing this shared line.
  if (wake_requested_.load(std::memory_order_relaxed) ||
      wake_requested_.exchange(true, std::memory_order_acq_rel))
    return;
  wake_seq_.fetch_add(1, std::memory_order_acq_rel);
  real().syscall(SYS_futex, &wake_seq_, FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

bool Drain::start_thread() {
  stop_word_.store(0, std::memory_order_release);
  wake_requested_.store(false, std::memory_order_release);  // none left from before
  // The new thread inherits the creating thread's mask: all blocked from
  // its first instruction on (glibc keeps its own two signals usable).
  sigset_t all, caller;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &caller);
  running_ = real().create_thread(&thread_, nullptr, &Drain::thread_main, this) == 0;
  pthread_sigmask(SIG_SETMASK, &caller, nullptr);
  return running_;
}

void Drain::stop_thread() {
  if (!running_) return;
  if (pthread_equal(thread_, pthread_self())) {
    running_ = false;
    return;
  }
  stop_word_.store(1, std::memory_order_release);
  wake_seq_.fetch_add(1, std::memory_order_acq_rel);
  real().syscall(SYS_futex, &wake_seq_, FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
  pthread_join(thread_, nullptr);
  running_ = false;
}

}  // namespace contend::preload

namespace contend::preload {

namespace {

// The one drain the ring pressure response reaches (the session's).
std::atomic<Drain*> g_bound_drain{nullptr};

void respond_to_pressure() {
  Drain* d = g_bound_drain.load(std::memory_order_acquire);
  if (d != nullptr) d->on_ring_pressure();
}

}  // namespace

void Drain::bind(ThreadRegistry* registry, TraceWriter* writer, uint32_t period_ms,
                 bool (*before_first_pass)()) {
  registry_ = registry;
  writer_ = writer;
  period_ms_ = period_ms;
  before_first_pass_ = before_first_pass;
  snapshots_.init(registry->limits().max_threads);
  g_bound_drain.store(this, std::memory_order_release);
  g_ring_pressure_response.store(&respond_to_pressure, std::memory_order_release);
  enabled_.store(true, std::memory_order_release);
}

void Drain::start_lazily() {
  if (period_ms_ == 0 || !enabled_.load(std::memory_order_acquire)) return;
  bool expected = false;
  if (!claimed_.compare_exchange_strong(expected, true, std::memory_order_acq_rel)) return;
  if (!start_thread()) {
    warn("cannot start the drain thread; records are written at exit only");
    claimed_.store(false, std::memory_order_release);
  }
}

void Drain::on_ring_pressure() {
  if (!claimed_.load(std::memory_order_relaxed)) {
    start_lazily();
  } else {
    request_pass();
  }
}

void Drain::stop() {
  enabled_.store(false, std::memory_order_release);
  stop_thread();
  claimed_.store(false, std::memory_order_release);
}

bool Drain::pause() {
  bool was = claimed_.exchange(true, std::memory_order_acq_rel);
  stop_thread();
  return was;
}

void Drain::resume(bool was_running) {
  if (!was_running) {
    claimed_.store(false, std::memory_order_release);
  } else if (!start_thread()) {
    warn("cannot restart the drain thread; records are written at exit only");
    claimed_.store(false, std::memory_order_release);
  }
}

void Drain::stop_until_needed() {
  // Claimed meanwhile, so that nothing starts it while it is being joined.
  claimed_.store(true, std::memory_order_release);
  stop_thread();
  claimed_.store(false, std::memory_order_release);
}

}  // namespace contend::preload
