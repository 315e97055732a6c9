// The entry points behind include/contend/annotate.h. Not interposers: the
// header finds them with dlsym, so programs never link against us.
#include "core/record/lock_identity.h"
#include "hook.h"

using contend::preload::forward;
using contend::preload::HookScope;

extern "C" {

CONTEND_EXPORT void contend_annotate_lock_v1(const void* lock, const char* name) noexcept {
  forward();
  HookScope scope;
  if (scope) contend::preload::name_lock(*scope.thread(), lock, name);
}

CONTEND_EXPORT void contend_annotate_thread_v1(const char* name) noexcept {
  forward();
  HookScope scope;
  if (scope) contend::preload::name_thread(*scope.thread(), name);
}

}  // extern "C"
