// Interposers for condition variables. The waits are cancellation points:
// these must let glibc's forced unwinding pass, so they are not noexcept.
#include "core/record_condvar.h"
#include "hook.h"

using contend::preload::hook;
using contend::preload::RealFunctions;
namespace rec = contend::preload;

extern "C" {

CONTEND_EXPORT int pthread_cond_wait(pthread_cond_t* c, pthread_mutex_t* m) {
  return hook<&RealFunctions::cond_wait, &rec::cond_wait>(c, m);
}

CONTEND_EXPORT int pthread_cond_timedwait(pthread_cond_t* c, pthread_mutex_t* m,
                                          const struct timespec* abstime) {
  return hook<&RealFunctions::cond_timedwait, &rec::cond_timedwait>(c, m, abstime);
}

CONTEND_EXPORT int pthread_cond_clockwait(pthread_cond_t* c, pthread_mutex_t* m, clockid_t clock,
                                          const struct timespec* abstime) {
  return hook<&RealFunctions::cond_clockwait, &rec::cond_clockwait>(c, m, clock, abstime);
}

CONTEND_EXPORT int pthread_cond_signal(pthread_cond_t* c) noexcept {
  return hook<&RealFunctions::cond_signal, &rec::cond_signal>(c);
}

CONTEND_EXPORT int pthread_cond_broadcast(pthread_cond_t* c) noexcept {
  return hook<&RealFunctions::cond_broadcast, &rec::cond_broadcast>(c);
}

}  // extern "C"
