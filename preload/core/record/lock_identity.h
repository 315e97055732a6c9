// Lock lifetimes and names: *_init gives a lock its birth (a new generation
// when the address held a lock before), *_destroy ends it; annotations name
// locks and threads.
#pragma once

#include "thread/thread_state.h"

#include <contend/trace_format.h>

namespace contend::preload {

void lock_initialized(ThreadState& t, const void* lock, format::WaitKind kind);
void lock_destroyed(ThreadState& t, const void* lock);

// contend_name_lock() and contend_name_thread().
void name_lock(ThreadState& t, const void* lock, const char* name);
void name_thread(ThreadState& t, const char* name);
// The one THREAD_NAME record builder: thread `tid` (t's, or another's) is
// called `name` from now on.
void push_thread_name(ThreadState& t, uint32_t tid, const char* name);

}  // namespace contend::preload
