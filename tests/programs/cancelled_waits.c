/* Threads cancelled inside every interposed wait that is a cancellation
 * point: sem_wait, sem_timedwait, sem_clockwait, pthread_cond_wait,
 * pthread_cond_timedwait, pthread_cond_clockwait. Each must end cancelled
 * with its cleanup handler run. Afterwards nobody waits for the semaphore:
 * its posts, 50 ms apart, cause no waiting (the report must charge 0).
 * Prints "cancelled N cleanups N" and the semaphore's address. */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

static sem_t g_sem;
static pthread_mutex_t g_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cond = PTHREAD_COND_INITIALIZER;
static atomic_int g_cleanups;
static atomic_int g_waiting;

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static struct timespec in_a_minute(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  ts.tv_sec += 60;
  return ts;
}

static void count_cleanup(void* arg) {
  (void)arg;
  atomic_fetch_add(&g_cleanups, 1);
}

static void unlock_cleanup(void* mutex) {
  atomic_fetch_add(&g_cleanups, 1);
  pthread_mutex_unlock(mutex);
}

static void* sem_waiter(void* arg) {
  int which = (int)(long)arg;
  pthread_cleanup_push(count_cleanup, NULL);
  atomic_store(&g_waiting, 1);
  struct timespec real = in_a_minute(CLOCK_REALTIME), mono = in_a_minute(CLOCK_MONOTONIC);
  if (which == 0) sem_wait(&g_sem);
  if (which == 1) sem_timedwait(&g_sem, &real);
  if (which == 2) sem_clockwait(&g_sem, CLOCK_MONOTONIC, &mono);
  pthread_cleanup_pop(0);
  return NULL;
}

static void* cond_waiter(void* arg) {
  int which = (int)(long)arg;
  pthread_mutex_lock(&g_mutex);
  pthread_cleanup_push(unlock_cleanup, &g_mutex);
  atomic_store(&g_waiting, 1);
  struct timespec real = in_a_minute(CLOCK_REALTIME), mono = in_a_minute(CLOCK_MONOTONIC);
  for (;;) { /* no predicate ever becomes true: only cancellation ends it */
    if (which == 0) pthread_cond_wait(&g_cond, &g_mutex);
    if (which == 1) pthread_cond_timedwait(&g_cond, &g_mutex, &real);
    if (which == 2) pthread_cond_clockwait(&g_cond, &g_mutex, CLOCK_MONOTONIC, &mono);
  }
  pthread_cleanup_pop(1);
  return NULL;
}

static int cancel_one(void* (*body)(void*), long which) {
  pthread_t t;
  atomic_store(&g_waiting, 0);
  pthread_create(&t, NULL, body, (void*)which);
  while (!atomic_load(&g_waiting)) sleep_ms(1);
  sleep_ms(30); /* well inside the wait */
  pthread_cancel(t);
  void* result = NULL;
  pthread_join(t, &result);
  return result == PTHREAD_CANCELED;
}

int main(void) {
  sem_init(&g_sem, 0, 0);
  int cancelled = 0;
  for (long which = 0; which < 3; ++which) cancelled += cancel_one(sem_waiter, which);
  for (long which = 0; which < 3; ++which) cancelled += cancel_one(cond_waiter, which);
  /* Nobody waits for the semaphore now. */
  for (int i = 0; i < 3; ++i) {
    sleep_ms(50);
    sem_post(&g_sem);
  }
  printf("cancelled %d cleanups %d\n", cancelled, atomic_load(&g_cleanups));
  printf("semaphore %p\n", (void*)&g_sem);
  return 0;
}
