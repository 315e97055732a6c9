// The condition-variable ABI before glibc 2.3.2: 8-byte objects that point
// to storage libc allocates. Programs bound to pthread_cond_*@GLIBC_2.2.5
// get libc's compatibility functions, untouched and unrecorded: the
// current hooks would treat their objects as 48-byte ones (a timed wait
// that never times out, a destroy that crashes).
#include "hook.h"

#include <cerrno>

using contend::preload::forward;

extern "C" {

CONTEND_EXPORT int contend_cond_wait_compat(pthread_cond_t* c, pthread_mutex_t* m) {
  auto fn = forward().cond_wait_compat;
  return fn != nullptr ? fn(c, m) : ENOSYS;
}

CONTEND_EXPORT int contend_cond_timedwait_compat(pthread_cond_t* c, pthread_mutex_t* m,
                                                 const timespec* abstime) {
  auto fn = forward().cond_timedwait_compat;
  return fn != nullptr ? fn(c, m, abstime) : ENOSYS;
}

CONTEND_EXPORT int contend_cond_signal_compat(pthread_cond_t* c) noexcept {
  auto fn = forward().cond_signal_compat;
  return fn != nullptr ? fn(c) : ENOSYS;
}

CONTEND_EXPORT int contend_cond_broadcast_compat(pthread_cond_t* c) noexcept {
  auto fn = forward().cond_broadcast_compat;
  return fn != nullptr ? fn(c) : ENOSYS;
}

}  // extern "C"

__asm__(".symver contend_cond_wait_compat, pthread_cond_wait@GLIBC_2.2.5");
__asm__(".symver contend_cond_timedwait_compat, pthread_cond_timedwait@GLIBC_2.2.5");
__asm__(".symver contend_cond_signal_compat, pthread_cond_signal@GLIBC_2.2.5");
__asm__(".symver contend_cond_broadcast_compat, pthread_cond_broadcast@GLIBC_2.2.5");
