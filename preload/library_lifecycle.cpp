// The library's life inside the host: start before main (or at the first
// hook, see bootstrap.cpp), follow fork, and write everything out on every
// way a process can end that runs code: exit, return from main, exit from
// any thread, quick_exit, _exit and _Exit.
#include "bootstrap.h"
#include "core/process/futex_trap.h"
#include "core/process/session.h"
#include "core/record/self_cost.h"
#include "core/record/unwinder.h"
#include "hook.h"
#include "self_cost.h"

#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <cstdlib>

namespace contend::preload {

namespace {

void stop_for_exit() {
  if (session::owns_process()) session::stop(format::FooterReason::kExit);
}

// The real _exit or _Exit, resolved at start-up (no dlsym here: _exit runs
// in vfork children and signal handlers); before that, what both do.
[[noreturn]] void real_exit(void (*fn)(int), int status) {
  if (fn != nullptr) fn(status);
  syscall(SYS_exit_group, status);
  __builtin_unreachable();
}

// Priority 101: as early as a constructor may run, so that the real
// functions are resolved before other libraries' constructors need them.
__attribute__((constructor(101))) void on_load() {
  forward();  // boots the session
  // Booted by a hook in a constructor that then forked, before ours ran
  // and registered the fork handlers: this child still has the parent's
  // session (its trace file, its threads). Reset it as the handler would.
  if (session::is_started() && !session::owns_process()) session::restart_in_child();
  if (!session::is_started()) return;
  load_stack_walker();
  pthread_atfork(&session::prepare_fork, &session::resume_after_fork, &session::restart_in_child);
  // quick_exit runs these handlers (last registered first), then _exit
  // from inside libc where our _exit hook cannot see it.
  at_quick_exit(&stop_for_exit);
  // The main thread's lifetime starts now, not at its first lock.
  session::attach_current_thread();
  {
    HookScope inside_our_code;
    warm_stack_walker_first();  // the main thread's (core/record/unwinder.h)
  }
  // What recording costs here, for the report's own cost line.
  measure_self_cost();
  if (ThreadState* t = attached_thread(); t != nullptr) push_self_cost(*t);
  start_requested_futex_trap();  // CONTEND_FUTEX=all
}

__attribute__((destructor)) void on_unload() {
  stop_for_exit();
}

}  // namespace

}  // namespace contend::preload

extern "C" {

CONTEND_EXPORT void _exit(int status) {
  contend::preload::stop_for_exit();
  contend::preload::real_exit(contend::preload::real().exit_now, status);
}

CONTEND_EXPORT void _Exit(int status) noexcept {
  contend::preload::stop_for_exit();
  contend::preload::real_exit(contend::preload::real().exit_now_c99, status);
}

}  // extern "C"
