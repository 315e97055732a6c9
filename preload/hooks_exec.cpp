// Interposers for the exec family. exec replaces the image without running
// destructors, so the trace is written out (with a footer) first; if exec
// fails, recording goes on in the same file. The new image loads
// libcontend.so afresh through the inherited LD_PRELOAD and writes its own
// trace. posix_spawn, system and popen exec inside the child and need
// nothing here.
#include "core/session.h"
#include "hook.h"

#include <dlfcn.h>
#include <unistd.h>
#include <cerrno>
#include <cstdarg>
#include <cstdlib>

namespace contend::preload {

namespace {

template <typename Fn>
Fn next_exec(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

// Runs one exec attempt between a checkpoint and a resume.
template <typename Call>
int around_exec(Call&& call) {
  forward();  // a process may exec before anything else booted us
  bool ours = session::owns_process();
  if (ours) session::checkpoint_before_exec();
  int rc = call();
  int saved = errno;
  if (ours) session::resume_after_failed_exec();
  errno = saved;
  return rc;
}

// execl and friends: the variadic argument list, as an argv array.
char** collect_args(const char* first, va_list ap, char*** envp_out) {
  va_list count_ap;
  va_copy(count_ap, ap);
  size_t n = 1;
  while (va_arg(count_ap, char*) != nullptr) ++n;
  va_end(count_ap);
  auto** argv = static_cast<char**>(std::malloc((n + 1) * sizeof(char*)));
  if (argv == nullptr) return nullptr;
  argv[0] = const_cast<char*>(first);
  for (size_t i = 1; i <= n; ++i) argv[i] = va_arg(ap, char*);  // the last is the NULL
  if (envp_out != nullptr) *envp_out = va_arg(ap, char**);
  return argv;
}

// The exec of execl and friends, over the collected argv (nullptr: out of
// memory), which is freed if the exec fails.
template <typename Call>
int exec_collected(char** argv, Call&& call) {
  if (argv == nullptr) {
    errno = ENOMEM;
    return -1;
  }
  int rc = around_exec(call);
  int saved = errno;
  std::free(argv);
  errno = saved;
  return rc;
}

using ExecveFn = int (*)(const char*, char* const[], char* const[]);
using ExecvFn = int (*)(const char*, char* const[]);

}  // namespace

}  // namespace contend::preload

using contend::preload::around_exec;
using contend::preload::collect_args;
using contend::preload::exec_collected;
using contend::preload::ExecveFn;
using contend::preload::ExecvFn;
using contend::preload::next_exec;

extern "C" {

CONTEND_EXPORT int execve(const char* path, char* const argv[], char* const envp[]) noexcept {
  return around_exec([&] { return next_exec<ExecveFn>("execve")(path, argv, envp); });
}

CONTEND_EXPORT int execv(const char* path, char* const argv[]) noexcept {
  return around_exec([&] { return next_exec<ExecvFn>("execv")(path, argv); });
}

CONTEND_EXPORT int execvp(const char* file, char* const argv[]) noexcept {
  return around_exec([&] { return next_exec<ExecvFn>("execvp")(file, argv); });
}

CONTEND_EXPORT int execvpe(const char* file, char* const argv[], char* const envp[]) noexcept {
  return around_exec([&] { return next_exec<ExecveFn>("execvpe")(file, argv, envp); });
}

CONTEND_EXPORT int fexecve(int fd, char* const argv[], char* const envp[]) noexcept {
  using Fn = int (*)(int, char* const[], char* const[]);
  return around_exec([&] { return next_exec<Fn>("fexecve")(fd, argv, envp); });
}

CONTEND_EXPORT int execveat(int dirfd, const char* path, char* const argv[], char* const envp[],
                            int flags) noexcept {
  using Fn = int (*)(int, const char*, char* const[], char* const[], int);
  return around_exec([&] { return next_exec<Fn>("execveat")(dirfd, path, argv, envp, flags); });
}

CONTEND_EXPORT int execl(const char* path, const char* arg, ...) noexcept {
  va_list ap;
  va_start(ap, arg);
  char** argv = collect_args(arg, ap, nullptr);
  va_end(ap);
  return exec_collected(argv, [&] { return next_exec<ExecveFn>("execve")(path, argv, environ); });
}

CONTEND_EXPORT int execlp(const char* file, const char* arg, ...) noexcept {
  va_list ap;
  va_start(ap, arg);
  char** argv = collect_args(arg, ap, nullptr);
  va_end(ap);
  return exec_collected(argv, [&] { return next_exec<ExecvFn>("execvp")(file, argv); });
}

CONTEND_EXPORT int execle(const char* path, const char* arg, ...) noexcept {
  va_list ap;
  va_start(ap, arg);
  char** envp = nullptr;
  char** argv = collect_args(arg, ap, &envp);
  va_end(ap);
  return exec_collected(argv, [&] { return next_exec<ExecveFn>("execve")(path, argv, envp); });
}

}  // extern "C"
