/* ROUNDS contended handoffs as fast as possible (no hold): with a tiny ring
 * and a slow drain, waits are dropped; the report must say exactly how many:
 * dropped = contended - recorded waits. */
#include "handoff_lib.h"

#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

int main(int argc, char** argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 3000;
  handoff_run(&g_lock, rounds, 0);
  printf("rounds %d lock %p\n", rounds, (void*)&g_lock);
  return 0;
}
