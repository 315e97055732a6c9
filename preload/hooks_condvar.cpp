// Interposers for condition variables. The waits are cancellation points:
// these must let glibc's forced unwinding pass, so they are not noexcept.
//
// Bound to the GLIBC_2.3.2 names only: GLIBC_2.2.5 is an older ABI that
// hooks_condvar_compat.cpp forwards. (The hooks have names of their own
// because a symbol named pthread_cond_wait would also take the old version.)
#include "core/record/record_condvar.h"
#include "hook.h"

using contend::preload::hook;
using contend::preload::RealFunctions;
namespace rec = contend::preload;

extern "C" {

CONTEND_EXPORT int contend_pthread_cond_wait(pthread_cond_t* c, pthread_mutex_t* m) {
  return hook<&RealFunctions::cond_wait, &rec::cond_wait>(c, m);
}

CONTEND_EXPORT int contend_pthread_cond_timedwait(pthread_cond_t* c, pthread_mutex_t* m,
                                                  const struct timespec* abstime) {
  return hook<&RealFunctions::cond_timedwait, &rec::cond_timedwait>(c, m, abstime);
}

CONTEND_EXPORT int pthread_cond_clockwait(pthread_cond_t* c, pthread_mutex_t* m, clockid_t clock,
                                          const struct timespec* abstime) {
  return hook<&RealFunctions::cond_clockwait, &rec::cond_clockwait>(c, m, clock, abstime);
}

CONTEND_EXPORT int contend_pthread_cond_signal(pthread_cond_t* c) noexcept {
  return hook<&RealFunctions::cond_signal, &rec::cond_signal>(c);
}

CONTEND_EXPORT int contend_pthread_cond_broadcast(pthread_cond_t* c) noexcept {
  return hook<&RealFunctions::cond_broadcast, &rec::cond_broadcast>(c);
}

}  // extern "C"

// The same hooks under the version older programs are bound to (hook.h).
CONTEND_VERSIONED(pthread_cond_clockwait, GLIBC_2_30, "GLIBC_2.30", "GLIBC_2.34");

__asm__(".symver contend_pthread_cond_wait, pthread_cond_wait@@GLIBC_2.3.2");
__asm__(".symver contend_pthread_cond_timedwait, pthread_cond_timedwait@@GLIBC_2.3.2");
__asm__(".symver contend_pthread_cond_signal, pthread_cond_signal@@GLIBC_2.3.2");
__asm__(".symver contend_pthread_cond_broadcast, pthread_cond_broadcast@@GLIBC_2.3.2");
