// Real waits that are cancellation points (sem_wait and its timed forms,
// the condition waits): a thread cancelled inside one is unwound by glibc
// and never returns to finish() its WaitInProgress.
//
// WaitInProgress ends itself in its destructor, but a forced unwind runs C++
// destructors only when the C++ personality routine reaches libgcc's
// unwinder; in a process where a libunwind.so (which exports the same
// _Unwind_* names) comes first in the global scope, a C program that links
// it itself for one, destructors are skipped. (The recorder's own libunwind
// is opened privately and never answers those names.) glibc's own cleanup buffers
// (pthread_cleanup_push in C) need no personality routine: the blocking
// call is made under one of those, and the wait is ended there.
#pragma once

#include "record/acquisition.h"

#include <pthread.h>

// Declared by <pthread.h> for C only; the same ABI serves C++.
extern "C" {
void __pthread_register_cancel(__pthread_unwind_buf_t* buf);
void __pthread_unregister_cancel(__pthread_unwind_buf_t* buf);
[[noreturn]] void __pthread_unwind_next(__pthread_unwind_buf_t* buf);
}

namespace contend::preload {

// Calls blocking(); if the thread is cancelled inside it, the wait is ended
// (unregistered and recorded as not acquired) before the unwind goes on.
// Not inlined (it calls setjmp); `blocking` must be the real call itself,
// so that no frame with C++ cleanups lies between it and this one.
template <typename Blocking>
[[gnu::noinline]] auto call_cancellable(WaitInProgress& wait, Blocking&& blocking) {
  __pthread_unwind_buf_t buf;
  WaitInProgress* const ending = &wait;
  if (__sigsetjmp_cancel(buf.__cancel_jmp_buf, 0) != 0) [[unlikely]] {
    ending->cancelled();
    __pthread_unwind_next(&buf);
  }
  __pthread_register_cancel(&buf);
  auto rc = blocking();
  __pthread_unregister_cancel(&buf);
  return rc;
}

}  // namespace contend::preload
