/* A mutex held for HOLD_MS while one worker is blocked on it, ROUNDS times,
 * with an atomic handshake: exactly ROUNDS contended acquisitions out of
 * 2 x ROUNDS. Shared by the lifecycle test programs. */
#ifndef CONTEND_TEST_HANDOFF_LIB_H
#define CONTEND_TEST_HANDOFF_LIB_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* gettid */
#endif

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  pthread_mutex_t* lock;
  int rounds;
  long hold_ms;
  atomic_int phase;
} Handoff;

static inline void handoff_await(Handoff* h, int value) {
  while (atomic_load(&h->phase) != value) {
    struct timespec ts = {0, 20000};
    nanosleep(&ts, NULL);
  }
}

/* The last worker's kernel thread id, for a program that must wait until
 * the kernel has ended it, not only until it is joined. */
static atomic_int handoff_worker_tid;

static inline void* handoff_worker(void* arg) {
  Handoff* h = arg;
  atomic_store(&handoff_worker_tid, (int)gettid());
  for (int i = 0; i < h->rounds; ++i) {
    handoff_await(h, 3 * i + 1);
    atomic_store(&h->phase, 3 * i + 2);
    pthread_mutex_lock(h->lock);
    pthread_mutex_unlock(h->lock);
    atomic_store(&h->phase, 3 * i + 3);
  }
  return NULL;
}

/* The holder's side of the rounds: takes the lock, lets the worker block on
 * it, holds it HOLD_MS, releases it. */
static inline void handoff_lead(Handoff* h) {
  for (int i = 0; i < h->rounds; ++i) {
    pthread_mutex_lock(h->lock);
    atomic_store(&h->phase, 3 * i + 1);
    handoff_await(h, 3 * i + 2);
    struct timespec hold = {h->hold_ms / 1000, (h->hold_ms % 1000) * 1000000L};
    nanosleep(&hold, NULL);
    pthread_mutex_unlock(h->lock);
    handoff_await(h, 3 * i + 3);
  }
}

/* Runs the rounds on the calling thread and one worker. */
static inline void handoff_run(pthread_mutex_t* lock, int rounds, long hold_ms) {
  Handoff h = {lock, rounds, hold_ms, 0};
  pthread_t t;
  pthread_create(&t, NULL, handoff_worker, &h);
  handoff_lead(&h);
  pthread_join(t, NULL);
}

#endif
