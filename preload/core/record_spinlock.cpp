#include "record_spinlock.h"

#include "acquisition.h"
#include "real_functions.h"

#include <cerrno>

namespace contend::preload {

namespace {
constexpr auto kKind = format::WaitKind::kSpinlock;
}  // namespace

// pthread_spinlock_t is a volatile int; only its address matters here.
const void* address_of(pthread_spinlock_t* l) {
  return const_cast<const int*>(l);
}

int spin_lock(ThreadState& t, pthread_spinlock_t* l) {
  int rc = real().spin_trylock(l);
  if (rc == 0) {
    count_acquisition(t, address_of(l), kKind);
    return rc;
  }
  uint64_t start = now_ticks();
  rc = real().spin_lock(l);
  uint64_t end = now_ticks();
  if (rc == 0) record_contended(t, address_of(l), kKind, start, end, 0);
  return rc;
}

int spin_trylock(ThreadState& t, pthread_spinlock_t* l) {
  int rc = real().spin_trylock(l);
  count_try(t, address_of(l), kKind, rc == 0, rc == EBUSY);
  return rc;
}

}  // namespace contend::preload
