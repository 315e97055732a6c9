/* main ends with pthread_exit while a worker still runs: the process must
 * end when the worker does (glibc calls exit(0) when the last thread
 * exits), with exit status 0, the worker's output and a complete trace.
 * Counts: g_main 4/2 (main, before its exit), g_worker 4/2 (the worker,
 * after main is gone). */
#include "handoff_lib.h"

#include <stdio.h>

static pthread_mutex_t g_main = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_worker = PTHREAD_MUTEX_INITIALIZER;

static void* worker(void* arg) {
  (void)arg;
  struct timespec ts = {0, 50 * 1000000L}; /* main has exited by then */
  nanosleep(&ts, NULL);
  handoff_run(&g_worker, 2, 5);
  printf("worker done, main %p worker %p\n", (void*)&g_main, (void*)&g_worker);
  return NULL;
}

int main(void) {
  handoff_run(&g_main, 2, 5);
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  pthread_exit(NULL);
}
