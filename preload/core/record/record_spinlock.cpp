#include "record/record_spinlock.h"

#include "base/real_functions.h"
#include "record/acquisition.h"
#include "record/lock_identity.h"
#include "record/wait_algorithm.h"

#include <cerrno>

namespace contend::preload {

namespace {

constexpr auto kKind = format::WaitKind::kSpinlock;

// pthread_spinlock_t is a volatile int; only its address matters here.
const void* address_of(pthread_spinlock_t* l) {
  return const_cast<const int*>(l);
}

// A spinlock for the wait algorithm (wait_algorithm.h): the time spent
// spinning is the wait.
struct SpinlockOps {
  using Result = int;
  static constexpr bool kReportsErrno = false;
  static constexpr bool kCancellable = false;
  pthread_spinlock_t* l;

  const void* lock() const { return address_of(l); }
  static constexpr format::WaitKind kind() { return kKind; }
  static uint32_t owner() { return 0; }
  static const void* related() { return nullptr; }
  int try_once() const { return real().spin_trylock(l); }
  static TryOutcome after_try(int rc) { return rc == 0 ? TryOutcome::kAcquired : TryOutcome::kMustWait; }
  static WaitOutcome after_wait(int rc) { return rc == 0 ? WaitOutcome::kAcquired : WaitOutcome::kNoWait; }
};

}  // namespace

int spin_lock(ThreadState& t, pthread_spinlock_t* l) {
  return try_then_wait(t, SpinlockOps{l}, [l] { return real().spin_lock(l); });
}

int spin_unlock(ThreadState& t, pthread_spinlock_t* l) {
  Release release(address_of(l));
  int rc = real().spin_unlock(l);
  end_hold(t, address_of(l));
  release.record(t, kKind);
  return rc;
}

int spin_trylock(ThreadState& t, pthread_spinlock_t* l) {
  return try_recorded(t, SpinlockOps{l});
}

int spin_init(ThreadState& t, pthread_spinlock_t* l, int pshared) {
  int rc = real().spin_init(l, pshared);
  if (rc == 0) lock_initialized(t, address_of(l), kKind);
  return rc;
}

int spin_destroy(ThreadState& t, pthread_spinlock_t* l) {
  int rc = real().spin_destroy(l);
  if (rc == 0) lock_destroyed(t, address_of(l));
  return rc;
}

}  // namespace contend::preload
