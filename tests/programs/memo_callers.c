/* Waits that only a walk tells apart: a worker waits ROUNDS times in
 * wait_in_wrapper(), called three times by from_first(), then three times
 * by from_second(), and so on: two functions with the same frame, called
 * through one call site. Each wait's frame sits at the same address under
 * the same call, and only the return address into one caller or the other
 * differs: the stack memo must not give one caller's stack to the other's
 * waits. Expected: waits 1-3, 7-9 under from_first, 4-6, 10-12 under
 * from_second, and in each run of three the second and third reused. The
 * handshake is handoff_lib.h's. */
#include "handoff_lib.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

enum { kRounds = 12, kHoldMs = 20 };

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static Handoff g_handoff = {&g_lock, kRounds, kHoldMs, 0};

__attribute__((noinline)) static void wait_in_wrapper(int round) {
  atomic_store(&g_handoff.phase, 3 * round + 2); /* about to block */
  pthread_mutex_lock(&g_lock);
  pthread_mutex_unlock(&g_lock);
  __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void from_first(int round) {
  volatile int frame[4] = {round};
  wait_in_wrapper(frame[0]);
  __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void from_second(int round) {
  volatile int frame[4] = {round};
  wait_in_wrapper(frame[0]);
  __asm__ volatile("" ::: "memory");
}

static void (*const g_callers[2])(int) = {from_first, from_second};

static void* worker(void* arg) {
  (void)arg;
  for (int i = 0; i < kRounds; ++i) {
    handoff_await(&g_handoff, 3 * i + 1);
    volatile int which = (i / 3) % 2;
    g_callers[which](i);
    atomic_store(&g_handoff.phase, 3 * i + 3);
  }
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  handoff_lead(&g_handoff);
  pthread_join(t, NULL);
  printf("%d rounds\n", kRounds);
  return 0;
}
