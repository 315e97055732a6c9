// Interposers for reader-writer locks.
#include "core/record/record_rwlock.h"
#include "hook.h"

using contend::preload::hook;
using contend::preload::RealFunctions;
using contend::preload::unlock_hook;
namespace rec = contend::preload;

extern "C" {

CONTEND_EXPORT int pthread_rwlock_rdlock(pthread_rwlock_t* l) noexcept {
  return hook<&RealFunctions::rwlock_rdlock, &rec::rwlock_rdlock>(l);
}

CONTEND_EXPORT int pthread_rwlock_wrlock(pthread_rwlock_t* l) noexcept {
  return hook<&RealFunctions::rwlock_wrlock, &rec::rwlock_wrlock>(l);
}

CONTEND_EXPORT int pthread_rwlock_tryrdlock(pthread_rwlock_t* l) noexcept {
  return hook<&RealFunctions::rwlock_tryrdlock, &rec::rwlock_tryrdlock>(l);
}

CONTEND_EXPORT int pthread_rwlock_trywrlock(pthread_rwlock_t* l) noexcept {
  return hook<&RealFunctions::rwlock_trywrlock, &rec::rwlock_trywrlock>(l);
}

CONTEND_EXPORT int pthread_rwlock_timedrdlock(pthread_rwlock_t* l, const struct timespec* abstime) noexcept {
  return hook<&RealFunctions::rwlock_timedrdlock, &rec::rwlock_timedrdlock>(l, abstime);
}

CONTEND_EXPORT int pthread_rwlock_timedwrlock(pthread_rwlock_t* l, const struct timespec* abstime) noexcept {
  return hook<&RealFunctions::rwlock_timedwrlock, &rec::rwlock_timedwrlock>(l, abstime);
}

CONTEND_EXPORT int pthread_rwlock_clockrdlock(pthread_rwlock_t* l, clockid_t clock,
                                              const struct timespec* abstime) noexcept {
  return hook<&RealFunctions::rwlock_clockrdlock, &rec::rwlock_clockrdlock>(l, clock, abstime);
}

CONTEND_EXPORT int pthread_rwlock_clockwrlock(pthread_rwlock_t* l, clockid_t clock,
                                              const struct timespec* abstime) noexcept {
  return hook<&RealFunctions::rwlock_clockwrlock, &rec::rwlock_clockwrlock>(l, clock, abstime);
}

CONTEND_EXPORT int pthread_rwlock_unlock(pthread_rwlock_t* l) noexcept {
  return unlock_hook<&RealFunctions::rwlock_unlock, &rec::rwlock_unlock>(!rec::rwlock_may_have_waiters(l), l);
}

CONTEND_EXPORT int pthread_rwlock_init(pthread_rwlock_t* l, const pthread_rwlockattr_t* attr) noexcept {
  return hook<&RealFunctions::rwlock_init, &rec::rwlock_init>(l, attr);
}

CONTEND_EXPORT int pthread_rwlock_destroy(pthread_rwlock_t* l) noexcept {
  return hook<&RealFunctions::rwlock_destroy, &rec::rwlock_destroy>(l);
}

}  // extern "C"

// The same hooks under the version older programs are bound to (hook.h).
CONTEND_VERSIONED(pthread_rwlock_destroy, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
CONTEND_VERSIONED(pthread_rwlock_init, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
CONTEND_VERSIONED(pthread_rwlock_rdlock, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
CONTEND_VERSIONED(pthread_rwlock_timedrdlock, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
CONTEND_VERSIONED(pthread_rwlock_timedwrlock, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
CONTEND_VERSIONED(pthread_rwlock_tryrdlock, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
CONTEND_VERSIONED(pthread_rwlock_trywrlock, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
CONTEND_VERSIONED(pthread_rwlock_unlock, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
CONTEND_VERSIONED(pthread_rwlock_wrlock, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
CONTEND_VERSIONED(pthread_rwlock_clockrdlock, GLIBC_2_30, "GLIBC_2.30", "GLIBC_2.34");
CONTEND_VERSIONED(pthread_rwlock_clockwrlock, GLIBC_2_30, "GLIBC_2.30", "GLIBC_2.34");
