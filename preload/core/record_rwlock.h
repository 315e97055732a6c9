// The recorder for reader-writer locks. Read and write acquisitions are
// counted and timed apart (wait kinds rwlock-read and rwlock-write).
#pragma once

#include "thread_state.h"

#include <pthread.h>
#include <time.h>

namespace contend::preload {

int rwlock_rdlock(ThreadState& t, pthread_rwlock_t* l);
int rwlock_wrlock(ThreadState& t, pthread_rwlock_t* l);
int rwlock_tryrdlock(ThreadState& t, pthread_rwlock_t* l);
int rwlock_trywrlock(ThreadState& t, pthread_rwlock_t* l);
int rwlock_timedrdlock(ThreadState& t, pthread_rwlock_t* l, const timespec* abstime);
int rwlock_timedwrlock(ThreadState& t, pthread_rwlock_t* l, const timespec* abstime);
int rwlock_clockrdlock(ThreadState& t, pthread_rwlock_t* l, clockid_t clock, const timespec* abstime);
int rwlock_clockwrlock(ThreadState& t, pthread_rwlock_t* l, clockid_t clock, const timespec* abstime);
int rwlock_unlock(ThreadState& t, pthread_rwlock_t* l);
int rwlock_init(ThreadState& t, pthread_rwlock_t* l, const pthread_rwlockattr_t* attr);
int rwlock_destroy(ThreadState& t, pthread_rwlock_t* l);

// glibc records the writer's tid; readers are anonymous.
inline uint32_t rwlock_writer(const pthread_rwlock_t* l) {
  return static_cast<uint32_t>(__atomic_load_n(&l->__data.__cur_writer, __ATOMIC_RELAXED));
}

}  // namespace contend::preload
