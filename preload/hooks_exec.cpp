// Interposers for the exec family. exec replaces the image without running
// destructors, so the trace is written out (with a footer) first; if exec
// fails, recording goes on in the same file. The new image loads
// libcontend.so afresh through the inherited LD_PRELOAD and writes its own
// trace. posix_spawn, system and popen exec inside the child and need
// nothing here.
//
// The exec functions are async-signal-safe and run in vfork children, which
// share the parent's memory: nothing here allocates (an allocation in a
// vfork child stays in the parent's heap for good) or calls dlsym. The real
// functions come from the table resolved at start-up (real_functions.h).
#include "core/process/session.h"
#include "hook.h"

#include <alloca.h>
#include <unistd.h>
#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cstddef>

namespace contend::preload {

namespace {

// Runs one exec attempt between a checkpoint and a resume.
template <typename Call>
int around_exec(Call&& call) {
  const RealFunctions& next = forward();  // a process may exec before anything else booted us
  bool ours = session::owns_process();
  if (ours) session::checkpoint_before_exec();
  int rc = call(next);
  int saved = errno;
  if (ours) session::resume_after_failed_exec();
  errno = saved;
  return rc;
}

// execl and friends turn their variadic list into an argv array on the
// stack, as glibc's own do: a fixed array for usual lists; for a longer one
// exactly glibc's way (an array of the list's size on the stack, E2BIG from
// INT_MAX arguments on).
constexpr ptrdiff_t kStackArgs = 64;

// The arguments from the first one to the terminating NULL, excluded; -1
// when there are too many.
ptrdiff_t count_args(va_list ap) {
  va_list count_ap;
  va_copy(count_ap, ap);
  ptrdiff_t argc = 1;
  for (; va_arg(count_ap, const char*) != nullptr; ++argc) {
    if (argc == INT_MAX) {
      argc = -1;
      break;
    }
  }
  va_end(count_ap);
  return argc;
}

// Fills argv[0..argc] (the last is the NULL) and, for execle, the
// environment that follows the NULL.
void fill_args(char** argv, const char* first, ptrdiff_t argc, va_list ap, char*** envp_out) {
  argv[0] = const_cast<char*>(first);
  for (ptrdiff_t i = 1; i <= argc; ++i) argv[i] = va_arg(ap, char*);
  if (envp_out != nullptr) *envp_out = va_arg(ap, char**);
}

// The array for `argc` arguments: `fixed` when it fits, else the caller's
// stack (alloca must run in the interposer's own frame, hence a macro).
#define CONTEND_ARGV_ARRAY(argc, fixed) \
  ((argc) < kStackArgs ? (fixed)        \
                       : static_cast<char**>(alloca(sizeof(char*) * static_cast<size_t>((argc) + 1))))

int too_many_args() {
  errno = E2BIG;
  return -1;
}

}  // namespace

}  // namespace contend::preload

using contend::preload::around_exec;
using contend::preload::count_args;
using contend::preload::fill_args;
using contend::preload::kStackArgs;
using contend::preload::RealFunctions;
using contend::preload::too_many_args;

extern "C" {

CONTEND_EXPORT int execve(const char* path, char* const argv[], char* const envp[]) noexcept {
  return around_exec([&](const RealFunctions& f) { return f.execve(path, argv, envp); });
}

CONTEND_EXPORT int execv(const char* path, char* const argv[]) noexcept {
  return around_exec([&](const RealFunctions& f) { return f.execv(path, argv); });
}

CONTEND_EXPORT int execvp(const char* file, char* const argv[]) noexcept {
  return around_exec([&](const RealFunctions& f) { return f.execvp(file, argv); });
}

CONTEND_EXPORT int execvpe(const char* file, char* const argv[], char* const envp[]) noexcept {
  return around_exec([&](const RealFunctions& f) { return f.execvpe(file, argv, envp); });
}

CONTEND_EXPORT int fexecve(int fd, char* const argv[], char* const envp[]) noexcept {
  return around_exec([&](const RealFunctions& f) { return f.fexecve(fd, argv, envp); });
}

CONTEND_EXPORT int execveat(int dirfd, const char* path, char* const argv[], char* const envp[],
                            int flags) noexcept {
  return around_exec([&](const RealFunctions& f) { return f.execveat(dirfd, path, argv, envp, flags); });
}

CONTEND_EXPORT int execl(const char* path, const char* arg, ...) noexcept {
  va_list ap;
  va_start(ap, arg);
  ptrdiff_t argc = count_args(ap);
  if (argc < 0) {
    va_end(ap);
    return too_many_args();
  }
  char* fixed[kStackArgs];
  char** argv = CONTEND_ARGV_ARRAY(argc, fixed);
  fill_args(argv, arg, argc, ap, nullptr);
  va_end(ap);
  return around_exec([&](const RealFunctions& f) { return f.execve(path, argv, environ); });
}

CONTEND_EXPORT int execlp(const char* file, const char* arg, ...) noexcept {
  va_list ap;
  va_start(ap, arg);
  ptrdiff_t argc = count_args(ap);
  if (argc < 0) {
    va_end(ap);
    return too_many_args();
  }
  char* fixed[kStackArgs];
  char** argv = CONTEND_ARGV_ARRAY(argc, fixed);
  fill_args(argv, arg, argc, ap, nullptr);
  va_end(ap);
  return around_exec([&](const RealFunctions& f) { return f.execvp(file, argv); });
}

CONTEND_EXPORT int execle(const char* path, const char* arg, ...) noexcept {
  va_list ap;
  va_start(ap, arg);
  ptrdiff_t argc = count_args(ap);
  if (argc < 0) {
    va_end(ap);
    return too_many_args();
  }
  char* fixed[kStackArgs];
  char** argv = CONTEND_ARGV_ARRAY(argc, fixed);
  char** envp = nullptr;
  fill_args(argv, arg, argc, ap, &envp);
  va_end(ap);
  return around_exec([&](const RealFunctions& f) { return f.execve(path, argv, envp); });
}

}  // extern "C"
