// Thread lifetimes: pthread_create runs the new thread through a trampoline
// that attaches it at its very start (with its creator's tid), and
// pthread_setname_np names it in the trace.
#pragma once

#include "thread/thread_state.h"

#include <pthread.h>

namespace contend::preload {

int create_thread(ThreadState& creator, pthread_t* thread, const pthread_attr_t* attr, void* (*start)(void*),
                  void* arg);
int set_thread_name(ThreadState& t, pthread_t thread, const char* name);

}  // namespace contend::preload
