// What every primitive's recorder does around a lock operation:
//  - count the acquisition in the thread's table (checking the lock's
//    generation, and recording its birth the first time any thread sees it);
//  - time one acquisition in N until its release (hold sampling);
//  - around a wait: register as a waiter (for blame), capture the stack,
//    and record the wait;
//  - at a release while others wait: charge the waiting that accrued during
//    the hold to the releasing call stack.
// Shared by the mutex, rwlock, spinlock, condition, futex and semaphore
// recorders.
#pragma once

#include "base/clock.h"
#include "base/errno_guard.h"
#include "base/recorder_settings.h"
#include "record/lock_registry.h"
#include "thread/thread_state.h"

#include <contend/trace_format.h>

#include <pthread.h>
#include <cerrno>

namespace contend::preload {

// Slow paths, out of line.
// The slot for `key` when the table had none at hand: the table grows, or,
// full at its maximum, is written out and restarted; when the key's probe
// window stays full of other keys, the untracked slot of its kind.
LockSlot& make_room_in_lock_table(ThreadState& t, uint64_t key);
void adopt_lock(ThreadState& t, LockSlot& slot, const void* lock, format::WaitKind kind);
void start_new_generation(ThreadState& t, LockSlot& slot, uint64_t key);
// The LockInfo record of a lock's birth (its stack is the current one).
void push_lock_birth(ThreadState& t, const void* lock, format::WaitKind kind, uint32_t generation,
                     format::LockBirth birth);
void end_hold_slow(ThreadState& t, const void* lock);
// A read lock taken again by a thread that holds it in a sampled hold:
// counted as nested in that hold (true), which goes on until the outermost
// unlock.
bool nest_in_sampled_hold(ThreadState& t, const void* lock);
void start_hold_slow(ThreadState& t, const void* lock, format::WaitKind kind, uint32_t generation,
                     uint64_t start);
// A release while others wait, in two steps around the real unlock:
// charge() (before: the woken waiter must still be registered, and what it
// waited is charged to this holder) and record() (after: the stack is
// captured once the lock is free, not while others wait for it).
class Release {
 public:
  explicit Release(const void* lock) : lock_(lock) { charge(); }
  void record(ThreadState& t, format::WaitKind kind) {
    if (caused_ != 0) [[unlikely]]
      record_slow(t, kind);
  }

 private:
  void charge();
  void record_slow(ThreadState& t, format::WaitKind kind);

  const void* lock_;
  LockEntry* entry_ = nullptr;
  uint64_t time_ = 0;
  uint64_t caused_ = 0;
  uint32_t waiters_ = 0;
};

// The slot of (lock, kind) in t's table, adopted and of the lock's current
// generation: the last one validated when it is the same lock and no
// generation changed anywhere since, else found (or made) and validated out
// of line.
LockSlot& validate_lock_slot(ThreadState& t, const void* lock, format::WaitKind kind, uint64_t key);

inline LockSlot& lock_slot(ThreadState& t, const void* lock, format::WaitKind kind) {
  uint64_t key = LockTable::make_key(lock, kind);
  LockSlot* slot = t.table.validated(key, g_generation_epoch.load(std::memory_order_relaxed));
  if (slot != nullptr) [[likely]]
    return *slot;
  return validate_lock_slot(t, lock, kind, key);
}

// Only mutexes, rwlocks and spinlocks are held: semaphores and futexes have
// no owner, and a condition wait is not a hold.
constexpr bool has_holds(format::WaitKind kind) {
  return kind == format::WaitKind::kMutex || kind == format::WaitKind::kRwlockRead ||
         kind == format::WaitKind::kRwlockWrite || kind == format::WaitKind::kSpinlock;
}

inline void maybe_start_hold(ThreadState& t, const void* lock, format::WaitKind kind, const LockSlot& slot,
                             uint64_t start = 0) {
  if (!has_holds(kind)) return;
  // Readers nest, and glibc does not know by whom: a thread's own nesting is
  // followed while its outer hold is sampled. (kind is a constant in the
  // mutex and spinlock paths: this costs them nothing.)
  if (kind == format::WaitKind::kRwlockRead && t.held_count != 0 && nest_in_sampled_hold(t, lock))
      [[unlikely]]
    return;
  if (--t.hold_countdown != 0) return;
  start_hold_slow(t, lock, kind, slot.generation.load(std::memory_order_relaxed), start);
}

// glibc keeps a recursive mutex's depth in __count (0 for the other kinds).
// Read only while the caller holds the mutex.
inline uint32_t mutex_depth(const void* mutex) {
  return static_cast<const pthread_mutex_t*>(mutex)->__data.__count;
}

// After the real unlock: ends a sampled hold of `lock`, if there is one (a
// read lock released inside its own outer hold only leaves that hold).
inline void end_hold(ThreadState& t, const void* lock) {
  if (t.held_count != 0) [[unlikely]]
    end_hold_slow(t, lock);
}

// A successful acquisition that did not wait.
inline void count_acquisition(ThreadState& t, const void* lock, format::WaitKind kind) {
  LockSlot& slot = lock_slot(t, lock, kind);
  bump(slot.counts.acquisitions);
  slot.last_site = t.caller_pc;
  maybe_start_hold(t, lock, kind, slot);
}

inline void count_trylock_failure(ThreadState& t, const void* lock, format::WaitKind kind) {
  bump(lock_slot(t, lock, kind).counts.trylock_failures);
}

// The outcome of a trylock: an acquisition, a busy lock, or an error that
// counts as neither.
inline void count_try(ThreadState& t, const void* lock, format::WaitKind kind, bool acquired, bool busy) {
  if (acquired) {
    count_acquisition(t, lock, kind);
  } else if (busy) {
    count_trylock_failure(t, lock, kind);
  }
}

inline void count_wake(ThreadState& t, const void* lock, format::WaitKind kind) {
  bump(lock_slot(t, lock, kind).counts.wakes);
}

// How a blocking call ended.
enum class WaitOutcome {
  kAcquired,
  kTimedOut,     // a timed wait gave up (ETIMEDOUT)
  kInterrupted,  // it waited, then a signal ended it (EINTR): not acquired
  kNoWait,       // it returned at once (EDEADLK, EINVAL...): nothing is recorded
  kNoWaitBusy,   // it returned at once, the value had changed (a futex's EAGAIN):
                 // counted like a busy trylock, so the row shows how often it was tried
};

// One wait, from just before blocking to just after. Construct it when the
// try failed (it reads the clock, registers this thread as a waiter of the
// lock and captures the stack, all before the blocking call), then call
// finish() with the outcome. The recorders reach it through
// wait_algorithm.h. errno is never changed here.
//
// A wait that never finishes (the thread was cancelled inside it: glibc
// unwinds it with a forced unwind) is ended by the destructor, or by
// cancelled() from a cancellation cleanup handler: the waiter leaves the
// lock, so that later releases are not charged a wait nobody has.
class WaitInProgress {
 public:
  WaitInProgress(ThreadState& t, const void* lock, format::WaitKind kind, uint32_t owner_tid = 0,
                 const void* related = nullptr);
  ~WaitInProgress() {
    if (!done_) [[unlikely]]
      cancelled();
  }
  WaitInProgress(const WaitInProgress&) = delete;
  WaitInProgress& operator=(const WaitInProgress&) = delete;

  void finish(WaitOutcome outcome);
  // The thread is being cancelled inside the wait: it waited, and did not
  // acquire. Idempotent.
  void cancelled();

  uint64_t start() const { return start_; }

 private:
  // flags: 0 (acquired), kWaitTimedOut or kWaitInterrupted.
  void end_with(uint8_t flags);
  // The call returned without waiting: nothing is recorded.
  void abandon();
  void unregister();
  void push_record(uint64_t end, const LockSlot& slot, uint8_t flags);

  ThreadState& t_;
  const void* lock_;
  const void* related_;
  format::WaitKind kind_;
  uint32_t owner_tid_;
  LockEntry* entry_ = nullptr;  // registered as a waiter here
  uint64_t start_;
  uint64_t stack_id_ = 0;
  bool stack_reused_ = false;
  bool done_ = false;
};

// Writes the thread's summed releases, if any (owner, or the drain once
// the owner is gone).
void flush_pending_release(ThreadState& t, bool push_to_ring = true);
format::ReleaseRecord pending_release_record(const ThreadState& t);
// The one RELEASE record builder: `p` summed releases (a single one, with
// no acquiring site, for a semaphore or futex waker named by its stack).
format::ReleaseRecord release_record(uint32_t tid, const ThreadState::PendingRelease& p,
                                     uint64_t stack_id = 0);

// The LockCounts record for one table slot.
format::LockCountsRecord lock_counts_record(uint32_t tid, uint32_t epoch, uint64_t key, const LockSlot& s);

}  // namespace contend::preload
