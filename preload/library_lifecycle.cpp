// The library's life inside the host: start before main (or at the first
// hook, see bootstrap.cpp), follow fork, and write everything out on every
// way a process can end that runs code: exit, return from main, _exit.
#include "bootstrap.h"
#include "core/session.h"

#include <dlfcn.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace contend::preload {

namespace {

pid_t g_session_pid = 0;

void after_fork_in_child() {
  g_session_pid = getpid();
  session::restart_in_child();
}

// A vfork child shares our memory: it must never touch the parent's session.
bool in_session_process() {
  return g_session_pid != 0 && getpid() == g_session_pid;
}

void stop_for_exit() {
  if (in_session_process()) session::stop(format::FooterReason::kExit);
}

using ExitFn = void (*)(int);

[[noreturn]] void real_exit(const char* name, int status) {
  auto fn = reinterpret_cast<ExitFn>(dlsym(RTLD_NEXT, name));
  if (fn != nullptr) fn(status);
  syscall(SYS_exit_group, status);
  __builtin_unreachable();
}

__attribute__((constructor)) void on_load() {
  forward();  // boots the session
  if (!session::is_started()) return;
  g_session_pid = getpid();
  pthread_atfork(nullptr, nullptr, &after_fork_in_child);
  // The main thread's lifetime starts now, not at its first lock.
  session::attach_current_thread();
}

__attribute__((destructor)) void on_unload() {
  stop_for_exit();
}

}  // namespace

}  // namespace contend::preload

extern "C" {

__attribute__((visibility("default"), noreturn)) void _exit(int status) {
  contend::preload::stop_for_exit();
  contend::preload::real_exit("_exit", status);
}

__attribute__((visibility("default"), noreturn)) void _Exit(int status) {
  contend::preload::stop_for_exit();
  contend::preload::real_exit("_Exit", status);
}

}  // extern "C"
