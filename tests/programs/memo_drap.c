// Wrong stack with gcc's own unwind rules: a realigned frame with a VLA
// (gcc's DRAP: CFA = *(rbp-8)) whose rbp lies more than 256 bytes below
// its CFA (an _Alignas(512) local), so rbp itself is not checked, only the
// word at the old rbp-8. When another chain reaches the same frame with the
// same stack pointer (a different caller; a VLA of another size), the old
// rbp-8 and the old return-address slot fall in R's untouched locals and
// still hold the first chain's words (stale stack memory): they match.
//   chain A: run_chain -> P1 (600-byte frame) -> R(nA) -> W
//   chain B: run_chain -> Q  (small frame)    -> R(nB) -> W   (same W frame)
// (P1 and Q are called from one call site, through a pointer; run_chain
// from one call site in main.)
// W waits 5 times each (timed lock on a held mutex, deadline past).
// Expected: ...run_chain;P1;R;W 5 and ...run_chain;Q;R;W 5.
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "held_mutex.h"

static int waiting;
static volatile uintptr_t w_frame, r_rbp, r_cfa;

__attribute__((noinline)) void W(void) {
  w_frame = (uintptr_t)__builtin_frame_address(0);
  if (!waiting) return;
  struct timespec past = {0, 0};
  for (int i = 0; i < 5; i++)
    if (pthread_mutex_timedlock(&m, &past) == 0) pthread_mutex_unlock(&m);
}

__attribute__((noinline)) void use(char* a, char* b) {
  __asm__ volatile("" ::"r"(a), "r"(b) : "memory");
}

__attribute__((noinline)) void R(int n) {
  _Alignas(512) char buf[64];
  char vla[n];
  r_rbp = (uintptr_t)__builtin_frame_address(0);
  r_cfa = ((volatile uintptr_t*)__builtin_frame_address(0))[-1];  // the DRAP word: the CFA
  use(buf, vla);
  W();
  __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void P1(int n) {
  char big[600];
  use(big, big);
  R(n);
  __asm__ volatile("" ::: "memory");
}
__attribute__((noinline)) void Q(int n) {
  R(n);
  __asm__ volatile("" ::: "memory");
}

static void (*volatile fns[2])(int) = {P1, Q};

__attribute__((noinline)) void run_chain(int k, int which, int n) {
  char* p = __builtin_alloca(k);
  __asm__ volatile("" ::"r"(p) : "memory");
  fns[which](n);
  __asm__ volatile("" ::: "memory");
}

int main(void) {
  hold_mutex_elsewhere();
  // Place chain A's R so that its rbp is 300 to 400 bytes below its CFA.
  int k = -1, nA = 64, nB = 0;
  for (int t = 0; t < 1024; t += 16) {
    run_chain(t, 0, nA);
    uintptr_t d = r_cfa - r_rbp;
    if (getenv("SHOWD")) printf("t=%d d=%lu\n", t, (unsigned long)d);
    if (d >= 300 && d <= 400) {
      k = t;
      break;
    }
  }
  if (k < 0) {
    puts("no shift found");
    return 2;
  }
  run_chain(k, 0, nA);
  uintptr_t wa = w_frame, ra = r_rbp, ca = r_cfa;
  run_chain(k, 1, nA);
  nB = nA + (int)(r_rbp - ra);  // the same stack pointer in R
  run_chain(k, 1, nB);
  printf("A: cfa-rbp %lu, B: cfa-rbp %lu, cfa B-A %ld, W frame %s\n", (unsigned long)(ca - ra),
         (unsigned long)(r_cfa - r_rbp), (long)(r_cfa - ca), w_frame == wa ? "same" : "differs");
  if (w_frame != wa) return 2;
  waiting = 1;
  static volatile int rounds = 2;  // one call site for both chains
  for (int w = 0; w < rounds; w++) run_chain(k, w, w ? nB : nA);
  puts("done");
  exit(0);
}
