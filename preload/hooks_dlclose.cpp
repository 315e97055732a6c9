// dlclose unmaps a plugin: before it does, the module map must hold it, or
// the waits and stacks recorded inside it could never be symbolized. (dlopen
// is not interposed: the loader takes $ORIGIN and RUNPATH from the caller's
// return address, which would then be ours. New objects are picked up by
// the drain's next pass, and by this hook.)
#include "core/base/clock.h"
#include "core/base/errno_guard.h"
#include "core/output/module_map.h"
#include "core/process/session.h"
#include "hook.h"

namespace contend::preload {

namespace {

void push_to_ring(void* thread, const void* record, size_t size) {
  auto* t = static_cast<ThreadState*>(thread);
  t->push_bytes(record, static_cast<uint32_t>(size), static_cast<uint8_t>(format::RecordKind::kModule));
}

void scan_modules() {
  ScopedErrno keep_errno;  // the scan reads files: dlclose's caller keeps its errno
  HookScope scope;
  if (!scope) return;
  ModuleScanGuard guard;
  module_map().scan(&push_to_ring, scope.thread(), now_ticks(), false);
}

}  // namespace

}  // namespace contend::preload

extern "C" CONTEND_EXPORT int dlclose(void* handle) noexcept {
  const auto& next = contend::preload::forward();
  contend::preload::scan_modules();  // anything loaded since the last pass
  int rc = next.dlclose(handle);
  contend::preload::scan_modules();  // and what is gone now
  return rc;
}

// The same hooks under the version older programs are bound to (hook.h).
CONTEND_VERSIONED(dlclose, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
