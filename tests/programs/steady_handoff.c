/* Two threads take turns on a mutex, each holding it for about 100 us and
 * then working 100 us outside it, until the process is killed: a steady
 * stream of waits (thousands a second) for the SIGKILL test. Prints "ready"
 * once both threads run. */
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

static void busy_100us(void) {
  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  do {
    clock_gettime(CLOCK_MONOTONIC, &now);
  } while ((now.tv_sec - start.tv_sec) * 1000000000L + (now.tv_nsec - start.tv_nsec) < 100000);
}

static void* worker(void* arg) {
  (void)arg;
  for (;;) {
    pthread_mutex_lock(&g_lock);
    busy_100us();
    pthread_mutex_unlock(&g_lock);
    busy_100us();
  }
  return NULL;
}

int main(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; ++i) pthread_create(&t[i], NULL, worker, NULL);
  printf("ready\n");
  fflush(stdout);
  for (int i = 0; i < 2; ++i) pthread_join(t[i], NULL);
  return 0;
}
