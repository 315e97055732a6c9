// Contention whose waits are walked through a frame without unwind tables
// (walker_pipe_nocfi.c), where libunwind checks addresses: shared by the
// walker pipe programs.
#pragma once

#include <pthread.h>

pthread_mutex_t g_walker_lock = PTHREAD_MUTEX_INITIALIZER;
volatile long g_walker_counter;
void nocfi_lock_work(void);
int nocfi_backtrace(int (*walk)(void**, int), void** frames, int max);

static void* walker_worker(void* arg) {
  for (int i = 0; i < 5000; ++i) nocfi_lock_work();
  return arg;
}

// Three threads, 5000 locks each, all from the frame without unwind tables.
static void contend(void) {
  pthread_t t[3];
  for (int i = 0; i < 3; ++i) pthread_create(&t[i], NULL, walker_worker, NULL);
  for (int i = 0; i < 3; ++i) pthread_join(t[i], NULL);
}
