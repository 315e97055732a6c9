/* A storm of contended waits at a chosen pace, for the sustained-rate case
 * of bench/run_bench.py. Two threads hand one spinlock back and forth: each
 * announces that it is about to lock, and the holder keeps the lock until
 * the other has announced and HOLD_NS more have passed, so nearly every
 * acquisition finds the lock held: one recorded wait per handoff. Prints the
 * acquisitions per second; the report of the trace gives the recorded waits
 * and any drops.
 *
 *   wait_storm SECONDS HOLD_NS */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static pthread_spinlock_t g_lock;
static atomic_int g_trying[2];
static atomic_int g_done;
static uint64_t g_hold_ns;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void* storm(void* arg) {
  int self = (int)(intptr_t)arg;
  uint64_t count = 0;
  while (!atomic_load_explicit(&g_done, memory_order_relaxed)) {
    atomic_store(&g_trying[self], 1);
    pthread_spin_lock(&g_lock);
    atomic_store(&g_trying[self], 0);
    ++count;
    /* Yield now and then: on a busy machine the other thread may be the
     * one waiting for a CPU. */
    for (unsigned spins = 1;
         !atomic_load(&g_trying[1 - self]) && !atomic_load_explicit(&g_done, memory_order_relaxed); ++spins)
      if (spins % 4096 == 0) sched_yield();
    uint64_t until = now_ns() + g_hold_ns;
    while (g_hold_ns != 0 && now_ns() < until) {
    }
    pthread_spin_unlock(&g_lock);
  }
  return (void*)(uintptr_t)count;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: wait_storm SECONDS HOLD_NS\n");
    return 2;
  }
  double seconds = atof(argv[1]);
  g_hold_ns = strtoull(argv[2], NULL, 10);
  pthread_spin_init(&g_lock, PTHREAD_PROCESS_PRIVATE);
  pthread_t threads[2];
  uint64_t start = now_ns();
  for (int i = 0; i < 2; ++i) pthread_create(&threads[i], NULL, storm, (void*)(intptr_t)i);
  struct timespec period = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
  nanosleep(&period, NULL);
  atomic_store(&g_done, 1);
  uint64_t total = 0;
  for (int i = 0; i < 2; ++i) {
    void* count;
    pthread_join(threads[i], &count);
    total += (uint64_t)(uintptr_t)count;
  }
  double elapsed = (double)(now_ns() - start) / 1e9;
  printf("acquisitions %llu seconds %.3f per_second %.0f\n", (unsigned long long)total, elapsed,
         (double)total / elapsed);
  return 0;
}
