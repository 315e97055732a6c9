// The recorder for condition variables. Waiting for a condition is its own
// wait kind, recorded with its mutex; it is never lock contention. Signals
// and broadcasts are counted as wakes of the condition.
#pragma once

#include "thread/thread_state.h"

#include <pthread.h>
#include <time.h>

namespace contend::preload {

int cond_wait(ThreadState& t, pthread_cond_t* c, pthread_mutex_t* m);
int cond_timedwait(ThreadState& t, pthread_cond_t* c, pthread_mutex_t* m, const timespec* abstime);
int cond_clockwait(ThreadState& t, pthread_cond_t* c, pthread_mutex_t* m, clockid_t clock,
                   const timespec* abstime);
int cond_signal(ThreadState& t, pthread_cond_t* c);
int cond_broadcast(ThreadState& t, pthread_cond_t* c);

}  // namespace contend::preload
