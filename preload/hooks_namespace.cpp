// unshare and setns: entering a new user namespace, or another mount
// namespace, fails with EINVAL while the process has a second thread. Our
// drain must not be that thread: it is stopped first when it is the only
// other one (see session::before_namespace_change).
#include "core/session.h"
#include "hook.h"

#include <dlfcn.h>
#include <sched.h>

namespace contend::preload {

namespace {

template <typename Fn>
Fn next_function(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

}  // namespace

}  // namespace contend::preload

extern "C" {

CONTEND_EXPORT int unshare(int flags) noexcept {
  using Fn = int (*)(int);
  static Fn next = contend::preload::next_function<Fn>("unshare");
  contend::preload::forward();
  contend::preload::session::before_namespace_change();
  return next(flags);
}

CONTEND_EXPORT int setns(int fd, int nstype) noexcept {
  using Fn = int (*)(int, int);
  static Fn next = contend::preload::next_function<Fn>("setns");
  contend::preload::forward();
  contend::preload::session::before_namespace_change();
  return next(fd, nstype);
}

}  // extern "C"
