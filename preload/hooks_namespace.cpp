// unshare and setns: entering a new user namespace, or another mount
// namespace, fails with EINVAL while the process has a second thread. Our
// drain must not be that thread: it is stopped first when it is the only
// other one (see session::before_namespace_change).
#include "core/process/session.h"
#include "hook.h"

#include <sched.h>

extern "C" {

CONTEND_EXPORT int unshare(int flags) noexcept {
  const auto& next = contend::preload::forward();
  contend::preload::session::before_namespace_change();
  return next.unshare(flags);
}

CONTEND_EXPORT int setns(int fd, int nstype) noexcept {
  const auto& next = contend::preload::forward();
  contend::preload::session::before_namespace_change();
  return next.setns(fd, nstype);
}

}  // extern "C"
