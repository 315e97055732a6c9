#include "record_spinlock.h"

#include "acquisition.h"
#include "lock_identity.h"
#include "real_functions.h"

#include <cerrno>

namespace contend::preload {

namespace {

constexpr auto kKind = format::WaitKind::kSpinlock;

// Out of line: the WaitInProgress (and its cleanup) stays off the path of
// a lock that was free.
[[gnu::noinline]] int spin_lock_waited(ThreadState& t, pthread_spinlock_t* l, const void* address) {
  WaitInProgress wait(t, address, kKind);
  int rc = real().spin_lock(l);
  if (rc == 0) {
    wait.finish(0);
  } else {
    wait.abandon();
  }
  return rc;
}

}  // namespace

// pthread_spinlock_t is a volatile int; only its address matters here.
const void* address_of(pthread_spinlock_t* l) {
  return const_cast<const int*>(l);
}

int spin_lock(ThreadState& t, pthread_spinlock_t* l) {
  int rc = real().spin_trylock(l);
  if (rc == 0) [[likely]] {
    count_acquisition(t, address_of(l), kKind);
    return rc;
  }
  return spin_lock_waited(t, l, address_of(l));
}

int spin_unlock(ThreadState& t, pthread_spinlock_t* l) {
  Release release(address_of(l));
  int rc = real().spin_unlock(l);
  end_hold(t, address_of(l));
  release.record(t, kKind);
  return rc;
}

int spin_trylock(ThreadState& t, pthread_spinlock_t* l) {
  int rc = real().spin_trylock(l);
  count_try(t, address_of(l), kKind, rc == 0, rc == EBUSY);
  return rc;
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
