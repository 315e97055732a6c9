/* A mutex that another thread holds for the rest of the run, for the stack
 * memo's test programs: each timed lock of `m` with a deadline already
 * past is one recorded wait, from wherever the program calls it. */
#pragma once

#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static volatile int held;

static void* holder(void* arg) {
  (void)arg;
  pthread_mutex_lock(&m);
  held = 1;
  pause();
  return NULL;
}

static void hold_mutex_elsewhere(void) {
  pthread_t h;
  pthread_create(&h, NULL, holder, NULL);
  while (!held) usleep(1000);
}
