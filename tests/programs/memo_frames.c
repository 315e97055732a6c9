/* Waits whose frames vary in size, so that the same return addresses can
 * sit at the same places while the chain of calls above differs. A worker
 * waits 12 times, through one caller and the other in turn, all from one
 * call site:
 *   alloca:  wait_sized() allocates on its stack exactly what puts its lock
 *            call at one fixed address, whichever chain called it
 *            (first_a -> first_b -> wait_sized, or second -> wait_sized);
 *   realign: wait_aligned() has a 64-byte aligned local, so its frame is
 *            realigned; the callers' frames differ by 16 bytes, so that the
 *            realigned frame often lands on the same address for both;
 *            argv[2] (0, 16, 32 or 48) sets where the stack starts mod 64;
 *   register: pad_call(), in assembly, keeps its CFA in rbx (as glibc's
 *            lazy-binding trampoline does) and calls wait_padded() below
 *            a gap that puts its lock call at one fixed address.
 * Stale words of the other chain stay in the never-written alloca or
 * padding. Expected: each wait's stack is its own caller's. */
#include "handoff_lib.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { kRounds = 12, kHoldMs = 20 };

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static Handoff g_handoff = {&g_lock, kRounds, kHoldMs, 0};
static int g_mode; /* 0 alloca, 1 realign, 2 register */
static uintptr_t g_target;

#define KEEP(p) __asm__ volatile("" : : "r"(p) : "memory")

static void block(int round) {
  atomic_store(&g_handoff.phase, 3 * round + 2); /* about to block */
  pthread_mutex_lock(&g_lock);
  pthread_mutex_unlock(&g_lock);
}

__attribute__((noinline)) static void wait_sized(int round) {
  char* pad = __builtin_alloca((uintptr_t)__builtin_frame_address(0) - g_target);
  KEEP(pad); /* allocated, never written */
  block(round);
  KEEP(pad);
}

/* Calls fn(round) with `gap` bytes of never-written stack below its own
 * frame, whose CFA is rbx + 16. */
void pad_call(void (*fn)(int), int round, unsigned long gap);
__asm__(
    ".text\n.globl pad_call\n.type pad_call,@function\npad_call:\n"
    ".cfi_startproc\n"
    "  push %rbx\n"
    ".cfi_adjust_cfa_offset 8\n.cfi_rel_offset %rbx,0\n"
    "  mov %rsp,%rbx\n"
    ".cfi_def_cfa_register %rbx\n"
    "  sub %rdx,%rsp\n"
    "  and $-16,%rsp\n"
    "  mov %rdi,%rax\n"
    "  mov %esi,%edi\n"
    "  call *%rax\n"
    "  mov %rbx,%rsp\n"
    ".cfi_def_cfa_register %rsp\n"
    "  pop %rbx\n"
    ".cfi_adjust_cfa_offset -8\n.cfi_restore %rbx\n"
    "  ret\n"
    ".cfi_endproc\n.size pad_call,.-pad_call\n");

__attribute__((noinline)) static void wait_padded(int round) {
  block(round);
  KEEP(&round);
}

__attribute__((noinline)) static void wait_through_pad(int round) {
  volatile char here; /* no frame pointer here: the gap is pad_call's */
  pad_call(wait_padded, round, ((uintptr_t)&here - g_target) & ~(uintptr_t)15);
  KEEP(&here);
}

__attribute__((noinline)) static void wait_aligned(int round) {
  _Alignas(64) char local[64];
  KEEP(local);
  block(round);
  KEEP(local);
}

static void wait_here(int round) {
  if (g_mode == 1)
    wait_aligned(round);
  else if (g_mode == 2)
    wait_through_pad(round);
  else
    wait_sized(round);
}

__attribute__((noinline)) void first_b(int round) {
  volatile char frame[40];
  KEEP(frame);
  wait_here(round);
  KEEP(frame);
}

__attribute__((noinline)) void first_a(int round) {
  volatile char frame[72];
  KEEP(frame);
  if (g_mode == 1)
    wait_here(round);
  else
    first_b(round);
  KEEP(frame);
}

__attribute__((noinline)) void second(int round) {
  volatile char frame[56];
  KEEP(frame);
  wait_here(round);
  KEEP(frame);
}

static void (*const g_callers[2])(int) = {first_a, second};

__attribute__((noinline)) static void waits(void) {
  for (int i = 0; i < kRounds; ++i) {
    handoff_await(&g_handoff, 3 * i + 1);
    volatile int which = i % 2;
    g_callers[which](i);
    atomic_store(&g_handoff.phase, 3 * i + 3);
  }
}

static void* worker(void* arg) {
  uintptr_t skew = (uintptr_t)arg;
  char here;
  g_target = ((uintptr_t)&here - 4096) & ~(uintptr_t)63;
  /* Moves the rest of the stack by skew bytes mod 64. */
  char* pad = __builtin_alloca((((uintptr_t)__builtin_frame_address(0) - skew) & 48) + 16);
  KEEP(pad);
  waits();
  KEEP(pad);
  return NULL;
}

int main(int argc, char** argv) {
  static const char* const modes[] = {"alloca", "realign", "register"};
  g_mode = -1;
  for (int m = 0; m < 3 && argc >= 2; ++m)
    if (strcmp(argv[1], modes[m]) == 0) g_mode = m;
  if (g_mode < 0) {
    fprintf(stderr, "usage: memo_frames alloca|realign|register [skew]\n");
    return 2;
  }
  uintptr_t skew = argc > 2 ? strtoul(argv[2], NULL, 0) : 0;
  pthread_t t;
  pthread_create(&t, NULL, worker, (void*)skew);
  handoff_lead(&g_handoff);
  pthread_join(t, NULL);
  printf("%d rounds\n", kRounds);
  return 0;
}
