// Interposers for pthread mutexes.
#include "core/record/record_mutex.h"
#include "hook.h"

using contend::preload::forward;
using contend::preload::hook;
using contend::preload::RealFunctions;
using contend::preload::unlock_hook;
namespace rec = contend::preload;

extern "C" {

CONTEND_EXPORT int pthread_mutex_lock(pthread_mutex_t* m) noexcept {
  return contend::preload::sure_lock_hook<&RealFunctions::mutex_lock, &rec::mutex_lock,
                                          &rec::count_sure_acquisition>(rec::lock_cannot_fail_or_wait(m), m);
}

CONTEND_EXPORT int pthread_mutex_trylock(pthread_mutex_t* m) noexcept {
  return hook<&RealFunctions::mutex_trylock, &rec::mutex_trylock>(m);
}

CONTEND_EXPORT int pthread_mutex_timedlock(pthread_mutex_t* m, const struct timespec* abstime) noexcept {
  return hook<&RealFunctions::mutex_timedlock, &rec::mutex_timedlock>(m, abstime);
}

CONTEND_EXPORT int pthread_mutex_clocklock(pthread_mutex_t* m, clockid_t clock,
                                           const struct timespec* abstime) noexcept {
  return hook<&RealFunctions::mutex_clocklock, &rec::mutex_clocklock>(m, clock, abstime);
}

CONTEND_EXPORT int pthread_mutex_unlock(pthread_mutex_t* m) noexcept {
  return unlock_hook<&RealFunctions::mutex_unlock, &rec::mutex_unlock>(!rec::mutex_has_waiters(m), m);
}

// Forwarded as they are; issue-4 lock identity hooks in here.
CONTEND_EXPORT int pthread_mutex_init(pthread_mutex_t* m, const pthread_mutexattr_t* attr) noexcept {
  return hook<&RealFunctions::mutex_init, &rec::mutex_init>(m, attr);
}

CONTEND_EXPORT int pthread_mutex_destroy(pthread_mutex_t* m) noexcept {
  return hook<&RealFunctions::mutex_destroy, &rec::mutex_destroy>(m);
}

CONTEND_EXPORT int pthread_mutex_consistent(pthread_mutex_t* m) noexcept {
  return forward().mutex_consistent(m);
}

}  // extern "C"

// Our own calls of the interposers (the self-cost measurement) bind here,
// not through the global scope, where the program's own definition may
// come first.
extern "C" __typeof__(pthread_mutex_lock) contend_own_mutex_lock
    __attribute__((alias("pthread_mutex_lock"), visibility("hidden")));
extern "C" __typeof__(pthread_mutex_unlock) contend_own_mutex_unlock
    __attribute__((alias("pthread_mutex_unlock"), visibility("hidden")));

// The same hooks under the version older programs are bound to (hook.h).
CONTEND_VERSIONED(pthread_mutex_timedlock, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
CONTEND_VERSIONED(pthread_mutex_trylock, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
CONTEND_VERSIONED(pthread_mutex_clocklock, GLIBC_2_30, "GLIBC_2.30", "GLIBC_2.34");
CONTEND_VERSIONED(pthread_mutex_consistent, GLIBC_2_12, "GLIBC_2.12", "GLIBC_2.34");
