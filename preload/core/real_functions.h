// The real implementations of everything libcontend.so interposes.
//
// The core calls the primitives only through this table. The preload library
// fills it with dlsym(RTLD_NEXT, ...) at start-up; unit tests, which link the
// core without interposing anything, fill it with libc's own functions.
#pragma once

#include <pthread.h>

namespace contend::preload {

struct RealFunctions {
  int (*mutex_lock)(pthread_mutex_t*) = nullptr;
  int (*mutex_trylock)(pthread_mutex_t*) = nullptr;
  int (*mutex_unlock)(pthread_mutex_t*) = nullptr;
  int (*create_thread)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*) = nullptr;

  bool complete() const {
    return mutex_lock != nullptr && mutex_trylock != nullptr && mutex_unlock != nullptr &&
           create_thread != nullptr;
  }
};

// The table the core uses. Written once during initialization, before any
// recording starts; read-only afterwards. Constant-initialized, so it is
// usable (empty) before any constructor has run.
inline constinit RealFunctions g_real_functions{};
inline const RealFunctions& real() {
  return g_real_functions;
}

}  // namespace contend::preload
