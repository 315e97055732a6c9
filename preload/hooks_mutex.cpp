// Interposers for pthread mutexes: forward, or hand over to the recorder.
#include "bootstrap.h"
#include "core/hook_scope.h"
#include "core/record_mutex.h"

using contend::preload::forward;
using contend::preload::HookScope;

extern "C" {

__attribute__((visibility("default"))) int pthread_mutex_lock(pthread_mutex_t* m) noexcept {
  const auto& next = forward();  // boots on the very first call
  HookScope scope;
  if (!scope) return next.mutex_lock(m);
  return contend::preload::mutex_lock(*scope.thread(), m);
}

__attribute__((visibility("default"))) int pthread_mutex_trylock(pthread_mutex_t* m) noexcept {
  const auto& next = forward();  // boots on the very first call
  HookScope scope;
  if (!scope) return next.mutex_trylock(m);
  return contend::preload::mutex_trylock(*scope.thread(), m);
}

__attribute__((visibility("default"))) int pthread_mutex_unlock(pthread_mutex_t* m) noexcept {
  const auto& next = forward();  // boots on the very first call
  HookScope scope;
  if (!scope) return next.mutex_unlock(m);
  return contend::preload::mutex_unlock(*scope.thread(), m);
}

}  // extern "C"
