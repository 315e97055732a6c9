#include "aggregate/event_waits.h"

namespace contend::analyze {

bool is_event_wait(format::WaitKind kind, FrameRole waiters_role, const LockData& lock,
                   const IdentityData* identity) {
  if (kind != format::WaitKind::kSemaphore && kind != format::WaitKind::kFutex) return false;
  if (lock.waits.count() == 0) return false;
  if (waiters_role == FrameRole::kLock) return false;
  if (waiters_role == FrameRole::kEvent) return true;
  if (identity == nullptr || identity->caused_by_tid.empty()) return false;  // who woke them is unknown
  bool disjoint = true;
  identity->caused_by_tid.for_each([&](uint64_t tid, uint64_t) {
    if (lock.waits_by_tid.find(tid) != nullptr) disjoint = false;
  });
  return disjoint;
}

}  // namespace contend::analyze
