/* A holder off the CPU with its lock, and the sampling that multiplied it:
 *   preempted_hold PHASE
 * A worker takes lock X and sleeps 10 ms with it (as if preempted), then
 * takes lock Y for a moment, 20 times; another thread waits for X each
 * time. With CONTEND_HOLD_SAMPLE=2 the worker's every other acquisition is
 * timed: depending on PHASE (0 or 1 extra Y first), the samples fall on X
 * every time or never. When they do, each stood for 2 holds of X while X
 * had only the 20: the hold total said twice the real ~200 ms, more than
 * the run. Prints "x <address>" and "held_ns <N>", the holds of X as the
 * worker timed them (a loaded machine oversleeps the 10 ms). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { kRounds = 20 };

static pthread_mutex_t g_x = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_y = PTHREAD_MUTEX_INITIALIZER;
static atomic_int g_phase;
static int g_extra;
static long long g_held_ns;

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_us(long us) {
  struct timespec ts = {us / 1000000, (us % 1000000) * 1000L};
  nanosleep(&ts, NULL);
}

static void* worker(void* arg) {
  (void)arg;
  for (int i = 0; i < g_extra; ++i) {
    pthread_mutex_lock(&g_y);
    pthread_mutex_unlock(&g_y);
  }
  for (int i = 0; i < kRounds; ++i) {
    pthread_mutex_lock(&g_x);
    long long start = now_ns();
    atomic_store(&g_phase, 2 * i + 1);
    sleep_us(10000);
    g_held_ns += now_ns() - start;
    pthread_mutex_unlock(&g_x);
    pthread_mutex_lock(&g_y);
    pthread_mutex_unlock(&g_y);
    while (atomic_load(&g_phase) != 2 * i + 2) sleep_us(20);
  }
  return NULL;
}

int main(int argc, char** argv) {
  g_extra = argc > 1 ? atoi(argv[1]) : 0;
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  for (int i = 0; i < kRounds; ++i) {
    while (atomic_load(&g_phase) != 2 * i + 1) sleep_us(20);
    pthread_mutex_lock(&g_x); /* waits for the sleeping holder */
    pthread_mutex_unlock(&g_x);
    atomic_store(&g_phase, 2 * i + 2);
  }
  pthread_join(t, NULL);
  printf("x %p\nheld_ns %lld\n", (void*)&g_x, g_held_ns);
  return 0;
}
