/* Deterministic contention: the main thread holds a mutex for 20 ms while a
 * worker is blocked on it, ten times, with an explicit handshake (atomics, no
 * pthread calls) so that every round has exactly one contended acquisition.
 * Expected under libcontend.so: 20 acquisitions, 10 contended, every wait
 * at least 19 ms. Output is the same with and without the profiler. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

enum { kRounds = 10, kHoldMs = 20 };

static pthread_mutex_t g_handoff_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int g_phase;
static long g_counter;

static void await_phase(int value) {
  while (atomic_load(&g_phase) != value) {
    struct timespec ts = {0, 20000};
    nanosleep(&ts, NULL);
  }
}

static void* worker(void* arg) {
  (void)arg;
  for (int i = 0; i < kRounds; ++i) {
    await_phase(3 * i + 1);
    atomic_store(&g_phase, 3 * i + 2); /* about to block */
    pthread_mutex_lock(&g_handoff_lock);
    g_counter += 2;
    pthread_mutex_unlock(&g_handoff_lock);
    atomic_store(&g_phase, 3 * i + 3);
  }
  return NULL;
}

int main(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, worker, NULL) != 0) return 1;
  for (int i = 0; i < kRounds; ++i) {
    pthread_mutex_lock(&g_handoff_lock);
    g_counter += 1;
    atomic_store(&g_phase, 3 * i + 1);
    await_phase(3 * i + 2);
    struct timespec hold = {0, kHoldMs * 1000000L};
    nanosleep(&hold, NULL);
    pthread_mutex_unlock(&g_handoff_lock);
    await_phase(3 * i + 3);
  }
  pthread_join(t, NULL);
  printf("handoff: %d rounds, counter %ld\n", kRounds, g_counter);
  return 0;
}
