// CRASH with gcc's own unwind rules: a DRAP frame (realigned, with a VLA:
// CFA = *(rbp-8)) whose rbp lies more than 256 bytes below its CFA, on a
// fiber stack that later shrinks. The memo reads the DRAP word at the old
// rbp-8 right after the frames below R matched; nothing placed that word.
// Fiber A: stack [M, M+80K): entry(k) -> R(nA) -> W waits (learnt, reused),
//   R's rbp high up in the stack (big VLA).
// Fiber B: the stack shrinks to [M, M+32K) (the upper 48K unmapped, as a
//   pool does when it trims stacks); entry -> R(nB) -> W with W's frame at
//   the same address: find() reads A's rbp-8, now unmapped: SIGSEGV.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "held_mutex.h"

static int waiting;
static volatile uintptr_t w_frame, r_rbp, r_cfa;
static int shift, vla;
static ucontext_t main_ctx, fib_ctx;

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
  _Alignas(4096) char buf[64];
  char v[n];
  r_rbp = (uintptr_t)__builtin_frame_address(0);
  r_cfa = ((volatile uintptr_t*)__builtin_frame_address(0))[-1];  // the DRAP word: the CFA
  use(buf, v);
  W();
  __asm__ volatile("" ::: "memory");
}
static void entry(void) {
  char* p = __builtin_alloca(shift);
  __asm__ volatile("" ::"r"(p) : "memory");
  R(vla);
  __asm__ volatile("" ::: "memory");
}
static void run(char* base, size_t size) {
  getcontext(&fib_ctx);
  fib_ctx.uc_stack.ss_sp = base;
  fib_ctx.uc_stack.ss_size = size;
  fib_ctx.uc_link = &main_ctx;
  makecontext(&fib_ctx, entry, 0);
  swapcontext(&main_ctx, &fib_ctx);
}
int main(void) {
  hold_mutex_elsewhere();
  enum { kBig = 80 * 1024, kSmall = 32 * 1024 };
  char* M = mmap(NULL, kBig, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  // B's layout on the small stack.
  shift = 0;
  vla = 64;
  run(M, kSmall);
  uintptr_t wB = w_frame, rbpB = r_rbp;
  // A on the big stack: rbp 300..3000 bytes below the CFA, W at B's address.
  int found = 0;
  for (shift = 0; shift < 4096 && !found; shift += 16) {
    vla = 64;
    run(M, kBig);
    uintptr_t d = r_cfa - r_rbp;
    if (d < 300 || d > 3000) continue;
    vla = 64 + (int)(r_rbp - rbpB);
    run(M, kBig);
    found = w_frame == wB;
  }
  shift -= 16;
  if (!found) {
    puts("no layout found");
    return 2;
  }
  printf(
      "A: rbp %lu bytes below the CFA, VLA %d; W at the same address; A's rbp-8 is %lu bytes above the small "
      "stack's top\n",
      (unsigned long)(r_cfa - r_rbp), vla, (unsigned long)(r_rbp - 8 - (uintptr_t)(M + kSmall)));
  fflush(stdout);
  waiting = 1;
  run(M, kBig);  // A: learnt, then reused
  puts("fiber A done");
  fflush(stdout);
  munmap(M + kSmall, kBig - kSmall);
  shift = 0;
  vla = 64;
  run(M, kSmall);  // B
  puts("fiber B done");
  exit(0);
}
