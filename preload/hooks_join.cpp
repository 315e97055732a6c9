// Interposers for pthread_join and its timed forms: waiting for a thread to
// end is not waiting for a lock. Under CONTEND_FUTEX=all the futex wait
// inside them would otherwise be recorded, and a main thread joining its
// workers would be the longest "lock" wait of every report; marked as inside
// our code, it is re-issued unrecorded (core/process/futex_trap.h).
//
// Join is a cancellation point: these are not noexcept, so that glibc's
// forced unwinding passes (and the scope's destructor runs).
#include "hook.h"

#include <dlfcn.h>
#include <pthread.h>
#include <ctime>

namespace contend::preload {

namespace {

template <typename Fn>
Fn next_join(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

template <typename Fn, typename... Args>
int join_unrecorded(Fn next, Args... args) {
  forward();
  HookScope inside_our_code;
  return next(args...);
}

}  // namespace

}  // namespace contend::preload

using contend::preload::join_unrecorded;
using contend::preload::next_join;

extern "C" {

CONTEND_EXPORT int pthread_join(pthread_t thread, void** result) {
  using Fn = int (*)(pthread_t, void**);
  static Fn next = next_join<Fn>("pthread_join");
  return join_unrecorded(next, thread, result);
}

CONTEND_EXPORT int pthread_timedjoin_np(pthread_t thread, void** result, const struct timespec* abstime) {
  using Fn = int (*)(pthread_t, void**, const struct timespec*);
  static Fn next = next_join<Fn>("pthread_timedjoin_np");
  return join_unrecorded(next, thread, result, abstime);
}

CONTEND_EXPORT int pthread_clockjoin_np(pthread_t thread, void** result, clockid_t clock,
                                        const struct timespec* abstime) {
  using Fn = int (*)(pthread_t, void**, clockid_t, const struct timespec*);
  static Fn next = next_join<Fn>("pthread_clockjoin_np");
  return join_unrecorded(next, thread, result, clock, abstime);
}

}  // extern "C"

// The same hooks under the versions older programs are bound to (hook.h).
CONTEND_VERSIONED(pthread_join, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
CONTEND_VERSIONED(pthread_timedjoin_np, GLIBC_2_3_3, "GLIBC_2.3.3", "GLIBC_2.34");
CONTEND_VERSIONED(pthread_clockjoin_np, GLIBC_2_31, "GLIBC_2.31", "GLIBC_2.34");
