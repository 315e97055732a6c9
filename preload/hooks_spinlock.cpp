// Interposers for pthread spinlocks.
#include "core/record/record_spinlock.h"
#include "hook.h"

using contend::preload::hook;
using contend::preload::RealFunctions;
namespace rec = contend::preload;

extern "C" {

CONTEND_EXPORT int pthread_spin_lock(pthread_spinlock_t* l) noexcept {
  return hook<&RealFunctions::spin_lock, &rec::spin_lock>(l);
}

CONTEND_EXPORT int pthread_spin_trylock(pthread_spinlock_t* l) noexcept {
  return hook<&RealFunctions::spin_trylock, &rec::spin_trylock>(l);
}

CONTEND_EXPORT int pthread_spin_unlock(pthread_spinlock_t* l) noexcept {
  return hook<&RealFunctions::spin_unlock, &rec::spin_unlock>(l);
}

CONTEND_EXPORT int pthread_spin_init(pthread_spinlock_t* l, int pshared) noexcept {
  return hook<&RealFunctions::spin_init, &rec::spin_init>(l, pshared);
}

CONTEND_EXPORT int pthread_spin_destroy(pthread_spinlock_t* l) noexcept {
  return hook<&RealFunctions::spin_destroy, &rec::spin_destroy>(l);
}

}  // extern "C"

// The same hooks under the version older programs are bound to (hook.h).
CONTEND_VERSIONED(pthread_spin_destroy, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
CONTEND_VERSIONED(pthread_spin_init, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
CONTEND_VERSIONED(pthread_spin_lock, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
CONTEND_VERSIONED(pthread_spin_trylock, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
CONTEND_VERSIONED(pthread_spin_unlock, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
