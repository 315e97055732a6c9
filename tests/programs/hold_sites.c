/* Two call sites share a lock: slow_path() holds it 2 ms, fast_path() holds
 * it for a moment, on a worker thread (holds are timed once a program has
 * threads: only then can anyone wait). Run with CONTEND_HOLD_SAMPLE=1 and no
 * rate cap: the report must give slow_path a hold p50 within 10% of 2 ms, a
 * max within 10% of the longest hold the program saw itself (a busy hold
 * lasts longer when the machine takes the CPU away), and fast_path apart. */
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t g_shared = PTHREAD_MUTEX_INITIALIZER;
static long g_counter;
static long g_slow_max_ns;

static long ns_between(const struct timespec* a, const struct timespec* b) {
  return (b->tv_sec - a->tv_sec) * 1000000000L + (b->tv_nsec - a->tv_nsec);
}

static void sleep_ns(long ns) {
  struct timespec ts = {0, ns};
  nanosleep(&ts, NULL);
}

/* A busy hold: sleeping would overshoot by the timer slack. */
static void spin_ns(long ns) {
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  do clock_gettime(CLOCK_MONOTONIC, &b);
  while (ns_between(&a, &b) < ns);
}

__attribute__((noinline)) void slow_path(void) {
  struct timespec a, b;
  pthread_mutex_lock(&g_shared);
  clock_gettime(CLOCK_MONOTONIC, &a);
  spin_ns(2000000);
  ++g_counter;
  clock_gettime(CLOCK_MONOTONIC, &b);
  pthread_mutex_unlock(&g_shared);
  if (ns_between(&a, &b) > g_slow_max_ns) g_slow_max_ns = ns_between(&a, &b);
}

__attribute__((noinline)) void fast_path(void) {
  pthread_mutex_lock(&g_shared);
  ++g_counter;
  pthread_mutex_unlock(&g_shared);
}

static void* worker(void* arg) {
  (void)arg;
  for (int i = 0; i < 40; ++i) {
    slow_path();
    for (int j = 0; j < 10; ++j) fast_path();
    sleep_ns(100000);
  }
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  pthread_join(t, NULL);
  printf("counter %ld lock %p slow max %ld\n", g_counter, (void*)&g_shared, g_slow_max_ns);
  return 0;
}
