/* Two threads take turns on one mutex without end (each sleeps a moment
 * holding it, so the other is usually waiting), counting their
 * acquisitions; main prints the count every 50 ms ("progress N") until the
 * process is killed. For the SIGKILL test: the killed trace's acquisition
 * count must be close to the last progress printed. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_long g_acquired;

static void spin_us(long us) {
  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  do {
    clock_gettime(CLOCK_MONOTONIC, &now);
  } while ((now.tv_sec - start.tv_sec) * 1000000L + (now.tv_nsec - start.tv_nsec) / 1000 < us);
}

static void* worker(void* arg) {
  (void)arg;
  for (;;) {
    pthread_mutex_lock(&g_lock);
    atomic_fetch_add(&g_acquired, 1);
    struct timespec ts = {0, 10000};
    nanosleep(&ts, NULL);
    pthread_mutex_unlock(&g_lock);
    spin_us(5);
  }
  return NULL;
}

int main(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; ++i) pthread_create(&t[i], NULL, worker, NULL);
  printf("lock %p\n", (void*)&g_lock);
  for (;;) {
    struct timespec ts = {0, 50 * 1000000L};
    nanosleep(&ts, NULL);
    printf("progress %ld\n", atomic_load(&g_acquired));
    fflush(stdout);
  }
}
