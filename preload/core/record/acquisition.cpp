#include "record/acquisition.h"

#include "record/stack_capture.h"

#include <sys/single_threaded.h>
#include <algorithm>

namespace contend::preload {

namespace {

// A LockInfo names the primitive, not the side: any rwlock is kRwlockRead.
format::WaitKind lock_family(format::WaitKind kind) {
  return kind == format::WaitKind::kRwlockWrite ? format::WaitKind::kRwlockRead : kind;
}

}  // namespace

format::LockCountsRecord lock_counts_record(uint32_t tid, uint32_t epoch, uint64_t key, const LockSlot& s) {
  format::LockCountsRecord r{};
  // Address 0: a table's untracked slot.
  r.header = LockTable::key_address(key) != 0 ? format::make_header<format::LockCountsRecord>()
                                              : format::make_header<format::UntrackedRecord>();
  r.lock = LockTable::key_address(key);
  r.tid = tid;
  r.lock_generation = s.generation.load(std::memory_order_relaxed);
  s.counts.snapshot().write_to(r);
  r.table_epoch = epoch;
  r.wait_kind = static_cast<uint8_t>(LockTable::key_kind(key));
  return r;
}

namespace {

// Writes the whole table (and its untracked slots) into the ring and
// restarts it empty, as a new epoch.
void spill_lock_table(ThreadState& t) {
  uint32_t epoch = t.table.epoch();
  t.table.for_each_used(
      [&](uint64_t key, const LockSlot& s) { t.push(lock_counts_record(t.tid, epoch, key, s)); });
  t.table.restart();
}

}  // namespace

LockSlot& validate_lock_slot(ThreadState& t, const void* lock, format::WaitKind kind, uint64_t key) {
  // Read first: a generation that changes from here on changes the epoch
  // after this, and the next acquisition validates again.
  uint32_t epoch = g_generation_epoch.load(std::memory_order_acquire);
  LockSlot* slot = t.table.find_or_insert(key);
  if (slot == nullptr) [[unlikely]]
    slot = &make_room_in_lock_table(t, key);
  LockEntry* e = slot->entry;
  if (e == nullptr) {
    adopt_lock(t, *slot, lock, kind);
  } else if (e != kNoEntry && e->generation.load(std::memory_order_relaxed) !=
                                  slot->generation.load(std::memory_order_relaxed)) {
    start_new_generation(t, *slot, key);
  }
  t.table.remember_validated(key, slot, epoch);
  return *slot;
}

LockSlot& make_room_in_lock_table(ThreadState& t, uint64_t key) {
  // Growing maps memory and spilling may start the drain: a rare event
  // (log2(max / initial) growths at most), not the hot path; errno is the
  // caller's.
  ScopedErrno keep_errno;
  // Each round grows the table or empties it, so this ends; the bound is
  // only a guard.
  for (int round = 0; round < 64; ++round) {
    if (t.table.full()) {
      if (!t.table.grow()) spill_lock_table(t);
    } else if (!t.table.grow()) {
      // The key's probe window is full of other keys and a bigger table
      // cannot spread them: emptying the table for one key would write it
      // all out again at every such lock.
      break;
    }
    LockSlot* slot = t.table.find_or_insert(key);
    if (slot != nullptr) return *slot;
  }
  return t.table.untracked(LockTable::key_kind(key));
}

void adopt_lock(ThreadState& t, LockSlot& slot, const void* lock, format::WaitKind kind) {
  ScopedErrno keep_errno;  // the birth below walks the stack and may start the drain
  LockEntry* e = lock_registry().find_or_insert(lock);
  if (e == nullptr) {
    slot.entry = kNoEntry;
    return;
  }
  slot.entry = e;
  uint32_t generation = e->generation.load(std::memory_order_acquire);
  slot.generation.store(generation, std::memory_order_relaxed);
  uint8_t unborn = 0;
  if (!e->born.compare_exchange_strong(unborn, 1, std::memory_order_acq_rel)) return;
  // First use of a lock nobody initialized (PTHREAD_MUTEX_INITIALIZER,
  // std::mutex): its first acquisition is its birth.
  push_lock_birth(t, lock, kind, generation, format::LockBirth::kFirstUse);
}

void push_lock_birth(ThreadState& t, const void* lock, format::WaitKind kind, uint32_t generation,
                     format::LockBirth birth) {
  ScopedErrno keep_errno;
  format::LockInfoRecord r{};
  r.header = format::make_header<format::LockInfoRecord>();
  r.lock = reinterpret_cast<uint64_t>(lock);
  r.birth_stack = current_stack_id(t);
  r.time = now_ticks();
  r.generation = generation;
  r.tid = t.tid;
  r.lock_kind = static_cast<uint8_t>(lock_family(kind));
  r.birth = static_cast<uint8_t>(birth);
  t.push(r);
}

void start_new_generation(ThreadState& t, LockSlot& slot, uint64_t key) {
  ScopedErrno keep_errno;
  // Close the old lock's counts, then count the new one from zero.
  t.push(lock_counts_record(t.tid, t.table.epoch(), key, slot));
  slot.counts.clear();
  slot.generation.store(slot.entry->generation.load(std::memory_order_acquire), std::memory_order_relaxed);
}

void start_hold_slow(ThreadState& t, const void* lock, format::WaitKind kind, uint32_t generation,
                     uint64_t start) {
  uint32_t weight = t.hold_interval;
  if (settings().hold_sample_every == 0) {
    t.hold_countdown = UINT32_MAX;  // off: come back rarely
    return;
  }
  t.hold_countdown = t.hold_interval;
  // A recursive mutex locked again by its owner: its hold began at the
  // outermost lock. The next acquisition takes this one's turn.
  if (kind == format::WaitKind::kMutex && mutex_depth(lock) > 1) {
    t.hold_countdown = 1;
    return;
  }
  // While the program is single-threaded nobody can wait behind a hold
  // (and timing would only cost it time).
  if (__libc_single_threaded != 0) return;
  if (start == 0) start = now_ticks();
  // Keep at most settings().hold_sample_rate samples per second: double the
  // interval while samples come too close, halve it back when they are far.
  uint64_t gap = start - t.last_hold_sample;
  t.last_hold_sample = start;
  uint64_t min_gap = settings().hold_min_gap_ticks;
  if (gap < min_gap && t.hold_interval < (1u << 24)) {
    t.hold_interval *= 2;
  } else if (gap > 8 * min_gap && t.hold_interval > settings().hold_sample_every) {
    t.hold_interval /= 2;
  }
  t.hold_countdown = t.hold_interval;
  if (t.held_count == ThreadState::kMaxHeld) {
    // Sampled holds that never ended here (released by another thread):
    // forget the oldest.
    std::copy(t.held + 1, t.held + ThreadState::kMaxHeld, t.held);
    --t.held_count;
  }
  t.held[t.held_count++] = HeldLock{lock, start, t.caller_pc, generation, weight, kind, 0};
}

bool nest_in_sampled_hold(ThreadState& t, const void* lock) {
  for (uint32_t i = t.held_count; i-- > 0;) {
    HeldLock& h = t.held[i];
    if (h.lock != lock || h.kind != format::WaitKind::kRwlockRead) continue;
    ++h.nested;
    return true;
  }
  return false;
}

void end_hold_slow(ThreadState& t, const void* lock) {
  ScopedErrno keep_errno;  // the record may start the drain
  for (uint32_t i = t.held_count; i-- > 0;) {
    if (t.held[i].lock != lock) continue;
    HeldLock& h = t.held[i];
    if (h.nested != 0) {
      --h.nested;  // an inner read unlock: the hold goes on
      return;
    }
    format::HoldRecord r{};
    r.header = format::make_header<format::HoldRecord>();
    r.lock = reinterpret_cast<uint64_t>(lock);
    r.site = h.site;
    r.duration = now_ticks() - h.start;
    r.tid = t.tid;
    r.generation = h.generation;
    r.wait_kind = static_cast<uint8_t>(h.kind);
    r.weight = h.weight;
    t.push(r);
    std::copy(t.held + i + 1, t.held + t.held_count, t.held + i);
    --t.held_count;
    return;
  }
}

void Release::charge() {
  LockEntry* e = lock_registry().find(lock_);
  if (e == nullptr || e->waiters.load(std::memory_order_relaxed) == 0) return;
  EntryGuard guard(*e);
  uint32_t waiters = e->waiters.load(std::memory_order_relaxed);
  if (waiters == 0) return;
  time_ = now_ticks();
  uint64_t all = time_ * waiters;
  caused_ = all > e->baseline_sum ? all - e->baseline_sum : 0;
  waiters_ = waiters;
  e->baseline_sum = all;  // every waiter's wait is charged up to now
  e->last_release = time_;
  entry_ = e;
}

format::ReleaseRecord release_record(uint32_t tid, const ThreadState::PendingRelease& p, uint64_t stack_id) {
  format::ReleaseRecord r{};
  r.header = format::make_header<format::ReleaseRecord>();
  r.lock = reinterpret_cast<uint64_t>(p.lock);
  r.time = p.first_time;
  r.caused = p.caused;
  r.stack_id = stack_id;
  r.acquire_site = p.site;
  r.tid = tid;
  r.generation = p.generation;
  r.waiters = p.waiters;
  r.wait_kind = static_cast<uint8_t>(p.kind);
  r.releases = p.releases;
  return r;
}

format::ReleaseRecord pending_release_record(const ThreadState& t) {
  return release_record(t.tid, t.pending_release);
}

void flush_pending_release(ThreadState& t, bool push_to_ring) {
  if (t.pending_release.releases == 0) return;
  if (push_to_ring) t.push(pending_release_record(t));
  t.pending_release = ThreadState::PendingRelease{};
}

void Release::record_slow(ThreadState& t, format::WaitKind kind) {
  ScopedErrno keep_errno;
  // Where this thread acquired what it now releases (for locks it owns).
  uintptr_t site = 0;
  for (format::WaitKind side : {kind, format::WaitKind::kRwlockRead, format::WaitKind::kRwlockWrite}) {
    const LockSlot* slot = t.table.find(LockTable::make_key(lock_, side));
    if (slot != nullptr && slot->last_site != 0) {
      site = slot->last_site;
      break;
    }
  }
  uint32_t generation = entry_->generation.load(std::memory_order_relaxed);
  if (site != 0) {
    // Sum releases from the same site: a read-mostly lock with a writer
    // waiting would otherwise write a record per reader's unlock.
    ThreadState::PendingRelease& p = t.pending_release;
    bool same = p.releases != 0 && p.lock == lock_ && p.site == site && p.generation == generation;
    bool stale = same && time_ - p.first_time > settings().release_flush_ticks;
    if (!same || stale) {
      flush_pending_release(t);
      p.lock = lock_;
      p.site = site;
      p.first_time = time_;
      p.generation = generation;
      p.kind = kind;
    }
    p.caused += caused_;
    p.releases += 1;
    p.waiters = std::max(p.waiters, waiters_);
    return;
  }
  // A semaphore or futex: the waker did not acquire; its stack says who it is.
  ThreadState::PendingRelease one{lock_, 0, time_, caused_, generation, 1, waiters_, kind};
  t.push(release_record(t.tid, one, current_stack_id(t)));
}

WaitInProgress::WaitInProgress(ThreadState& t, const void* lock, format::WaitKind kind, uint32_t owner_tid,
                               const void* related)
    : t_(t), lock_(lock), related_(related), kind_(kind), owner_tid_(owner_tid), start_(now_ticks()) {
  ScopedErrno keep_errno;
  LockSlot& slot = lock_slot(t, lock, kind);
  if (kind != format::WaitKind::kCondition && slot.entry != kNoEntry) {
    entry_ = slot.entry;
    EntryGuard guard(*entry_);
    start_ = now_ticks();
    entry_->waiters.fetch_add(1, std::memory_order_relaxed);
    entry_->baseline_sum += start_;
  }
  // Unwinding now overlaps the wait instead of anyone's critical section.
  stack_id_ = current_stack_id(t);
  stack_reused_ = t.stack_reused;
}

void WaitInProgress::unregister() {
  if (entry_ == nullptr) return;
  EntryGuard guard(*entry_);
  // Our share of the baseline: when we started, or the last accounted
  // release if one happened since (it reset every waiter's baseline).
  uint64_t baseline = std::max(start_, entry_->last_release);
  entry_->waiters.fetch_sub(1, std::memory_order_relaxed);
  entry_->baseline_sum -= baseline;
  entry_ = nullptr;
}

void WaitInProgress::abandon() {
  ScopedErrno keep_errno;
  done_ = true;
  unregister();
}

void WaitInProgress::push_record(uint64_t end, const LockSlot& slot, uint8_t flags) {
  format::WaitRecord r{};
  r.header = format::make_header<format::WaitRecord>();
  r.lock = reinterpret_cast<uint64_t>(lock_);
  r.start = start_;
  r.duration = end - start_;
  r.related = reinterpret_cast<uint64_t>(related_);
  r.stack_id = stack_id_;
  r.tid = t_.tid;
  r.owner_tid = owner_tid_;
  r.lock_generation = slot.generation.load(std::memory_order_relaxed);
  r.wait_kind = static_cast<uint8_t>(kind_);
  r.flags = static_cast<uint8_t>(flags | (stack_reused_ ? format::kWaitStackReused : 0));
  t_.push(r);
}

void WaitInProgress::finish(WaitOutcome outcome) {
  switch (outcome) {
    case WaitOutcome::kAcquired: end_with(0); return;
    case WaitOutcome::kTimedOut: end_with(format::kWaitTimedOut); return;
    case WaitOutcome::kInterrupted: end_with(format::kWaitInterrupted); return;
    case WaitOutcome::kNoWait: abandon(); return;
    case WaitOutcome::kNoWaitBusy:
      abandon();
      count_trylock_failure(t_, lock_, kind_);
      return;
  }
}

void WaitInProgress::end_with(uint8_t flags) {
  ScopedErrno keep_errno;
  done_ = true;
  uint64_t end = now_ticks();
  unregister();
  LockSlot& slot = lock_slot(t_, lock_, kind_);
  bool acquired = (flags & (format::kWaitTimedOut | format::kWaitInterrupted)) == 0;
  if ((flags & format::kWaitTimedOut) != 0) {
    bump(slot.counts.timeouts);
  } else if (acquired) {
    bump(slot.counts.acquisitions);
    bump(slot.counts.contended);
    slot.last_site = t_.caller_pc;
  }
  push_record(end, slot, flags);
  if (acquired) maybe_start_hold(t_, lock_, kind_, slot, end);
}

void WaitInProgress::cancelled() {
  if (done_) return;
  ScopedErrno keep_errno;
  done_ = true;
  uint64_t end = now_ticks();
  unregister();
  push_record(end, lock_slot(t_, lock_, kind_), format::kWaitInterrupted);
}

}  // namespace contend::preload
