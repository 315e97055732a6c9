#include "record_mutex.h"

#include "acquisition.h"
#include "real_functions.h"

#include <cerrno>

namespace contend::preload {

namespace {
constexpr auto kKind = format::WaitKind::kMutex;

// A robust mutex returns EOWNERDEAD with the lock acquired.
bool acquired(int rc) {
  return rc == 0 || rc == EOWNERDEAD;
}
}  // namespace

int mutex_lock(ThreadState& t, pthread_mutex_t* m) {
  // Trying first tells a contended acquisition from a free one without
  // reading the clock: the uncontended path costs one counter update.
  int rc = real().mutex_trylock(m);
  if (acquired(rc)) {
    count_acquisition(t, m, kKind);
    return rc;
  }
  if (rc != EBUSY) return rc;  // EINVAL, EAGAIN, ENOTRECOVERABLE: as the real lock would say
  uint64_t start = now_ticks();
  uint32_t owner = mutex_owner(m);
  rc = real().mutex_lock(m);
  uint64_t end = now_ticks();
  // EDEADLK (error-checking mutex locked by its owner) is not contention.
  if (acquired(rc)) record_contended(t, m, kKind, start, end, owner);
  return rc;
}

int mutex_trylock(ThreadState& t, pthread_mutex_t* m) {
  int rc = real().mutex_trylock(m);
  if (acquired(rc)) {
    count_acquisition(t, m, kKind);
  } else if (rc == EBUSY) {
    count_trylock_failure(t, m, kKind);
  }
  return rc;
}

int mutex_unlock(ThreadState&, pthread_mutex_t* m) {
  return real().mutex_unlock(m);
}

}  // namespace contend::preload
