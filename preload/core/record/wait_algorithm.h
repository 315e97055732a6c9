// The one way every primitive's recorder acquires: try, and when the try
// says the primitive is busy, wait in progress (registered as a waiter,
// stack captured, before blocking), then finish the wait by its outcome.
// Written once here; each primitive says only how it tries, blocks and
// reads its results (its Ops):
//
//   struct Ops {
//     using Result = int;                   // or long (syscall)
//     static constexpr bool kReportsErrno;  // failures in errno (semaphores,
//                                           // futexes), not in the result
//     static constexpr bool kCancellable;   // the blocking call is a
//                                           // cancellation point
//     const void* lock() const;
//     format::WaitKind kind() const;
//     uint32_t owner() const;               // the holder, when known (else 0)
//     const void* related() const;          // a condition wait's mutex
//     Result try_once() const;              // try_then_wait only
//     TryOutcome after_try(Result) const;   // try_then_wait only
//     WaitOutcome after_wait(Result) const;
//   };
//
// `blocking` is the real blocking call (lock, timed lock, clock lock...).
// errno: what the caller sees is the real calls' own; a probe's failure
// (EAGAIN from sem_trywait) is undone by scope, and nothing we do after the
// blocking call changes its errno.
#pragma once

#include "base/errno_guard.h"
#include "record/acquisition.h"
#include "record/cancellable_wait.h"

namespace contend::preload {

// What a try says.
enum class TryOutcome {
  kAcquired,  // counted as an acquisition that did not wait
  kMustWait,  // busy: the blocking call waits, recorded
  kReturn,    // an error the blocking call would give too: returned as is
  kForward,   // the try cannot tell (not a valid object?): the blocking call answers, unrecorded
};

namespace wait_detail {

template <typename Ops, typename Blocking>
typename Ops::Result block(WaitInProgress& wait, Blocking& blocking) {
  if constexpr (Ops::kCancellable) {
    return call_cancellable(wait, blocking);
  } else {
    return blocking();
  }
}

}  // namespace wait_detail

// Waits without trying first (condition waits, futex waits): the call
// itself is the wait.
template <typename Ops, typename Blocking>
typename Ops::Result wait_recorded(ThreadState& t, const Ops& ops, Blocking blocking) {
  WaitInProgress wait(t, ops.lock(), ops.kind(), ops.owner(), ops.related());
  typename Ops::Result rc = wait_detail::block<Ops>(wait, blocking);
  ScopedErrno result_errno;  // the blocking call's, whatever finishing does
  wait.finish(ops.after_wait(rc));
  return rc;
}

// The try failed (`rc`, `outcome`). Out of line, so that the wait (and its
// cleanup) stays off the path of a primitive that was free; `ops` and
// `blocking` are taken by value (they hold their arguments by value too),
// so that nothing is put on the stack for them on that path.
template <typename Ops, typename Blocking>
[[gnu::noinline]] typename Ops::Result after_failed_try(ThreadState& t, Ops ops, Blocking blocking,
                                                        typename Ops::Result rc, TryOutcome outcome) {
  switch (outcome) {
    case TryOutcome::kAcquired: count_acquisition(t, ops.lock(), ops.kind()); return rc;
    case TryOutcome::kReturn: return rc;
    case TryOutcome::kForward: return blocking();
    case TryOutcome::kMustWait: break;
  }
  return wait_recorded(t, ops, blocking);
}

// Tries, and waits when it must. The try's result goes to after_failed_try
// unless it acquired, which is the inline path.
template <typename Ops, typename Blocking>
[[gnu::always_inline]] inline typename Ops::Result try_then_wait(ThreadState& t, const Ops& ops,
                                                                 Blocking blocking) {
  typename Ops::Result rc;
  TryOutcome outcome;
  if constexpr (Ops::kReportsErrno) {
    ScopedErrno caller_errno;  // a failed probe's errno is not the caller's
    rc = ops.try_once();
    outcome = ops.after_try(rc);
  } else {
    rc = ops.try_once();
    outcome = ops.after_try(rc);
  }
  if (outcome == TryOutcome::kAcquired) [[likely]] {
    count_acquisition(t, ops.lock(), ops.kind());
    return rc;
  }
  return after_failed_try(t, ops, blocking, rc, outcome);
}

// A trylock call: the try alone, counted as an acquisition or a busy try
// (an error counts as neither).
template <typename Ops>
typename Ops::Result try_recorded(ThreadState& t, const Ops& ops) {
  typename Ops::Result rc = ops.try_once();
  ScopedErrno result_errno;  // the try's, whatever counting does
  TryOutcome outcome = ops.after_try(rc);
  count_try(t, ops.lock(), ops.kind(), outcome == TryOutcome::kAcquired, outcome == TryOutcome::kMustWait);
  return rc;
}

// After a try the caller already made (an inline fast path that saw it
// fail): the rest of try_then_wait.
template <typename Ops, typename Blocking>
typename Ops::Result after_try(ThreadState& t, const Ops& ops, Blocking blocking, typename Ops::Result rc) {
  return after_failed_try(t, ops, blocking, rc, ops.after_try(rc));
}

}  // namespace contend::preload
