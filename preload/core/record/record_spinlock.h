// The recorder for pthread spinlocks: the time spent spinning is the wait.
#pragma once

#include "thread/thread_state.h"

#include <pthread.h>

namespace contend::preload {

int spin_lock(ThreadState& t, pthread_spinlock_t* l);
int spin_trylock(ThreadState& t, pthread_spinlock_t* l);
int spin_unlock(ThreadState& t, pthread_spinlock_t* l);
int spin_init(ThreadState& t, pthread_spinlock_t* l, int pshared);
int spin_destroy(ThreadState& t, pthread_spinlock_t* l);

}  // namespace contend::preload
