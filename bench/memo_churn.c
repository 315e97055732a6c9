// What a recorded wait costs when its call chains come back too seldom for
// the stack memo to keep them (core/record/stack_memo.h): R waits from one
// chain, then one from a chain that cycles over D recursion depths (more
// than the memo's 8 entries when D > 8), `calls` waits in all. Every call
// waits: a timed lock, deadline already past, on a mutex another thread
// holds. Prints this thread's CPU time per wait; compare it profiled with
// the memo (the default) and with every wait walked (CONTEND_STACK_DEPTH=17,
// deeper than the memo keeps):
//   memo_churn 0 40 20000    (only chains that do not stay kept)
//   memo_churn 8 40 20000    (8 waits from one chain between them)
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static volatile int held;

__attribute__((noinline)) static void try_it(void) {
  struct timespec past = {0, 0};
  if (pthread_mutex_timedlock(&m, &past) == 0) pthread_mutex_unlock(&m);
}

__attribute__((noinline)) static void nest(int d) {
  volatile char pad[16];
  pad[0] = 0;
  if (d == 0)
    try_it();
  else
    nest(d - 1);
  __asm__ volatile("" : : "r"(pad) : "memory");  // a frame per level, no tail call
}

static void* holder(void* arg) {
  (void)arg;
  pthread_mutex_lock(&m);
  held = 1;
  for (;;) pause();
  return NULL;
}

int main(int argc, char** argv) {
  int r = argc > 1 ? atoi(argv[1]) : 8;
  int d = argc > 2 ? atoi(argv[2]) : 40;
  long calls = argc > 3 ? atol(argv[3]) : 20000;
  if (r < 0 || d < 1 || calls < 1) {
    fprintf(stderr, "usage: memo_churn R D CALLS\n");
    return 2;
  }
  pthread_t h;
  pthread_create(&h, NULL, holder, NULL);
  while (!held) usleep(1000);
  struct timespec a, b;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
  long fresh = 0;
  for (long i = 0; i < calls; i++) {
    if (r > 0 && i % (r + 1) != r)
      nest(0);
    else
      nest(1 + (int)(fresh++ % d));
  }
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
  double ns = ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / (double)calls;
  printf("R=%d D=%d: %.0f ns of CPU per wait\n", r, d, ns);
  exit(0);  // the holder never unlocks
}
