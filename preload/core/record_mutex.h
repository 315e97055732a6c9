// The recorder for pthread mutexes: forwards to the real functions and counts
// and times what happened. Every function returns exactly what the real one
// returned, and leaves errno as the real one left it.
#pragma once

#include "thread_state.h"

#include <pthread.h>
#include <time.h>

namespace contend::preload {

int mutex_lock(ThreadState& t, pthread_mutex_t* m);
int mutex_trylock(ThreadState& t, pthread_mutex_t* m);
int mutex_timedlock(ThreadState& t, pthread_mutex_t* m, const timespec* abstime);
int mutex_clocklock(ThreadState& t, pthread_mutex_t* m, clockid_t clock, const timespec* abstime);
int mutex_unlock(ThreadState& t, pthread_mutex_t* m);
int mutex_init(ThreadState& t, pthread_mutex_t* m, const pthread_mutexattr_t* attr);
int mutex_destroy(ThreadState& t, pthread_mutex_t* m);

// glibc keeps the holder's tid in every mutex it locks; 0 when free or for
// kinds that do not track it.
inline uint32_t mutex_owner(const pthread_mutex_t* m) {
  return static_cast<uint32_t>(__atomic_load_n(&m->__data.__owner, __ATOMIC_RELAXED)) & 0x3fffffffu;
}

}  // namespace contend::preload
