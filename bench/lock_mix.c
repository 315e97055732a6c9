// A lock-heavy C program mixing every kind: two threads loop over a normal,
// a recursive (taken twice), a priority-inheritance and a robust mutex, an
// rwlock (nine reads, one write) and a spinlock, each around a short
// critical section, so that some acquisitions contend. Prints the totals.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

enum { kThreads = 2 };
static pthread_mutex_t normal_lock, recursive_lock, pi_lock, robust_lock;
static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_spinlock_t spin;
static volatile long counts[6];
static long rounds;

static void init_mutex(pthread_mutex_t* m, int type, int protocol, int robust) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_settype(&a, type);
  pthread_mutexattr_setprotocol(&a, protocol);
  pthread_mutexattr_setrobust(&a, robust);
  pthread_mutex_init(m, &a);
  pthread_mutexattr_destroy(&a);
}

static void* worker(void* arg) {
  (void)arg;
  for (long i = 0; i < rounds; ++i) {
    pthread_mutex_lock(&normal_lock);
    counts[0]++;
    pthread_mutex_unlock(&normal_lock);
    pthread_mutex_lock(&recursive_lock);
    pthread_mutex_lock(&recursive_lock);
    counts[1]++;
    pthread_mutex_unlock(&recursive_lock);
    pthread_mutex_unlock(&recursive_lock);
    pthread_mutex_lock(&pi_lock);
    counts[2]++;
    pthread_mutex_unlock(&pi_lock);
    pthread_mutex_lock(&robust_lock);
    counts[3]++;
    pthread_mutex_unlock(&robust_lock);
    if (i % 10 == 0) {
      pthread_rwlock_wrlock(&table_lock);
      counts[4]++;
    } else {
      pthread_rwlock_rdlock(&table_lock);
    }
    pthread_rwlock_unlock(&table_lock);
    pthread_spin_lock(&spin);
    counts[5]++;
    pthread_spin_unlock(&spin);
  }
  return NULL;
}

int main(int argc, char** argv) {
  rounds = argc > 1 ? atol(argv[1]) : 1000000;
  init_mutex(&normal_lock, PTHREAD_MUTEX_NORMAL, PTHREAD_PRIO_NONE, PTHREAD_MUTEX_STALLED);
  init_mutex(&recursive_lock, PTHREAD_MUTEX_RECURSIVE, PTHREAD_PRIO_NONE, PTHREAD_MUTEX_STALLED);
  init_mutex(&pi_lock, PTHREAD_MUTEX_NORMAL, PTHREAD_PRIO_INHERIT, PTHREAD_MUTEX_STALLED);
  init_mutex(&robust_lock, PTHREAD_MUTEX_NORMAL, PTHREAD_PRIO_NONE, PTHREAD_MUTEX_ROBUST);
  pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
  pthread_t threads[kThreads];
  for (int t = 0; t < kThreads; ++t) pthread_create(&threads[t], NULL, worker, NULL);
  for (int t = 0; t < kThreads; ++t) pthread_join(threads[t], NULL);
  printf("%ld %ld %ld %ld %ld %ld\n", counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]);
  return 0;
}
