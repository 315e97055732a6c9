// Interposers for POSIX semaphores. sem_wait and its timed forms are
// cancellation points, so they are not noexcept.
#include "core/record/record_semaphore.h"
#include "hook.h"

using contend::preload::hook;
using contend::preload::RealFunctions;
namespace rec = contend::preload;

extern "C" {

CONTEND_EXPORT int sem_wait(sem_t* s) {
  return hook<&RealFunctions::sem_wait, &rec::sem_wait>(s);
}

CONTEND_EXPORT int sem_timedwait(sem_t* s, const struct timespec* abstime) {
  return hook<&RealFunctions::sem_timedwait, &rec::sem_timedwait>(s, abstime);
}

CONTEND_EXPORT int sem_clockwait(sem_t* s, clockid_t clock, const struct timespec* abstime) {
  return hook<&RealFunctions::sem_clockwait, &rec::sem_clockwait>(s, clock, abstime);
}

CONTEND_EXPORT int sem_trywait(sem_t* s) noexcept {
  return hook<&RealFunctions::sem_trywait, &rec::sem_trywait>(s);
}

CONTEND_EXPORT int sem_post(sem_t* s) noexcept {
  return hook<&RealFunctions::sem_post, &rec::sem_post>(s);
}

}  // extern "C"

// The same hooks under the version older programs are bound to (hook.h).
CONTEND_VERSIONED(sem_post, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
CONTEND_VERSIONED(sem_timedwait, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
CONTEND_VERSIONED(sem_trywait, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
CONTEND_VERSIONED(sem_wait, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
CONTEND_VERSIONED(sem_clockwait, GLIBC_2_30, "GLIBC_2.30", "GLIBC_2.34");
