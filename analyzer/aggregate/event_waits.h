// Events apart from locks: a semaphore or futex that threads wait on for
// another thread's signal (a join, a one-shot event, a queue's items) is not
// lock contention. Decided per lock, from who waited and who woke them:
//
//   - waits through a known lock wrapper (std::sync::Mutex, uv_mutex_lock...)
//     are lock contention; waits through a known event wrapper
//     (std::condition_variable, Once, a latch, thread parking) are events;
//   - otherwise it is an event when the threads whose posts or wakes ended
//     the waits never waited on it themselves: nobody both held it for
//     others and waited for it, as the threads of a contended lock do.
//
// Condition variables are never lock contention (their own section).
#pragma once

#include "model/decoded_trace.h"
#include "symbolize/lock_wrappers.h"

#include <contend/trace_format.h>

namespace contend::analyze {

// `waiters_role`: the strongest wrapper role on the lock's waiting stacks.
bool is_event_wait(format::WaitKind kind, FrameRole waiters_role, const LockData& lock,
                   const IdentityData* identity);

}  // namespace contend::analyze
