// The recorder for POSIX semaphores: a wait that had to block is a
// semaphore wait (Python's threading.Lock is one); sem_post counts a wake.
// These functions report errors through errno, which is preserved exactly.
#pragma once

#include "thread/thread_state.h"

#include <semaphore.h>
#include <time.h>

namespace contend::preload {

int sem_wait(ThreadState& t, sem_t* s);
int sem_trywait(ThreadState& t, sem_t* s);
int sem_timedwait(ThreadState& t, sem_t* s, const timespec* abstime);
int sem_clockwait(ThreadState& t, sem_t* s, clockid_t clock, const timespec* abstime);
int sem_post(ThreadState& t, sem_t* s);

}  // namespace contend::preload
