/* Releases with waiters whose blame is still pending when the process
 * execs: lock A on main (the thread that execs: main holds it 10 ms while
 * a worker waits), lock B on another thread that is still running at exec
 * (it holds B 10 ms while main waits, then sleeps). Both blames must be in
 * the trace written before exec. Then execs PROGRAM (argv[1]). */
#include "handoff_lib.h"

#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t g_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_b = PTHREAD_MUTEX_INITIALIZER;
static atomic_int g_holding;

static void* holder(void* arg) {
  (void)arg;
  pthread_mutex_lock(&g_b);
  atomic_store(&g_holding, 1);
  while (atomic_load(&g_holding) != 2) {
    struct timespec ts = {0, 20000};
    nanosleep(&ts, NULL);
  }
  struct timespec hold = {0, 10 * 1000000L};
  nanosleep(&hold, NULL);
  pthread_mutex_unlock(&g_b);
  atomic_store(&g_holding, 3); /* its unlock (and the blame summed) is done */
  for (;;) pause();
  return NULL;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  handoff_run(&g_a, 1, 10);
  pthread_t t;
  pthread_create(&t, NULL, holder, NULL);
  while (atomic_load(&g_holding) != 1) {
    struct timespec ts = {0, 20000};
    nanosleep(&ts, NULL);
  }
  atomic_store(&g_holding, 2);
  pthread_mutex_lock(&g_b); /* waits about 10 ms */
  pthread_mutex_unlock(&g_b);
  while (atomic_load(&g_holding) != 3) {
    struct timespec ts = {0, 20000};
    nanosleep(&ts, NULL);
  }
  printf("a %p b %p\n", (void*)&g_a, (void*)&g_b);
  fflush(stdout);
  execv(argv[1], argv + 1);
  perror("execv");
  return 1;
}
