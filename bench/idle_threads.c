/* Memory per profiled thread, for bench/run_bench.py: starts THREADS
 * threads that each take a lock once (so each is profiled and has a lock
 * table entry) and then wait, all alive at once, while the main thread reads
 * its resident set size. Prints "threads N rss_kib R".
 *
 * The lock is taken with trylock, retried: a thread that waited for it
 * would walk its stack and get the walker's 256 KiB cache, which is not
 * what an idle thread costs, and how many did varied run to run (23 to 160
 * KiB per thread). A lock of each thread's own would not do either: each
 * new lock's first acquisition walks the stack to name the lock.
 *
 *   idle_threads THREADS */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t g_started, g_measured;

static void* idle(void* arg) {
  (void)arg;
  while (pthread_mutex_trylock(&g_lock) != 0) sched_yield();
  pthread_mutex_unlock(&g_lock);
  pthread_barrier_wait(&g_started);
  pthread_barrier_wait(&g_measured);
  return NULL;
}

static long rss_kib(void) {
  FILE* f = fopen("/proc/self/status", "r");
  char line[256];
  long kib = -1;
  while (f != NULL && fgets(line, sizeof line, f) != NULL)
    if (strncmp(line, "VmRSS:", 6) == 0) kib = atol(line + 6);
  if (f != NULL) fclose(f);
  return kib;
}

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 100;
  if (n < 1) return 2;
  pthread_t* threads = calloc((size_t)n, sizeof *threads);
  pthread_barrier_init(&g_started, NULL, (unsigned)n + 1);
  pthread_barrier_init(&g_measured, NULL, (unsigned)n + 1);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 64 * 1024);
  for (int i = 0; i < n; ++i)
    if (pthread_create(&threads[i], &attr, idle, NULL) != 0) return 1;
  pthread_barrier_wait(&g_started);
  long kib = rss_kib();
  pthread_barrier_wait(&g_measured);
  for (int i = 0; i < n; ++i) pthread_join(threads[i], NULL);
  printf("threads %d rss_kib %ld\n", n, kib);
  free(threads);
  return 0;
}
