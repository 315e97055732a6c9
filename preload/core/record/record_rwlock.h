// The recorder for reader-writer locks. Read and write acquisitions are
// counted and timed apart (wait kinds rwlock-read and rwlock-write).
#pragma once

#include "thread/thread_state.h"

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

// glibc's rwlock says whether anyone may be waiting: readers waiting
// (RWAITING in __readers), writers counted in __writers, or a futex marked
// used. Read before unlocking (the line is ours): a release nobody waits
// for skips the accounting.
inline bool rwlock_may_have_waiters(const pthread_rwlock_t* l) {
  unsigned readers = __atomic_load_n(&l->__data.__readers, __ATOMIC_RELAXED);
  unsigned writers = __atomic_load_n(&l->__data.__writers, __ATOMIC_RELAXED);
  unsigned wrphase = __atomic_load_n(&l->__data.__wrphase_futex, __ATOMIC_RELAXED);
  unsigned writers_futex = __atomic_load_n(&l->__data.__writers_futex, __ATOMIC_RELAXED);
  return (readers & 4u) != 0 || (writers & 0x7fffffffu) != 0 || (wrphase & 2u) != 0 ||
         (writers_futex & 2u) != 0;
}

// glibc records the writer's tid; readers are anonymous.
inline uint32_t rwlock_writer(const pthread_rwlock_t* l) {
  return static_cast<uint32_t>(__atomic_load_n(&l->__data.__cur_writer, __ATOMIC_RELAXED));
}

}  // namespace contend::preload
