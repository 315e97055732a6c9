// A "run fn on another stack" helper whose CFA is found through memory, as
// wasmtime-fiber's wasmtime_fiber_start and corosensei's trampolines
// describe theirs (DW_CFA_def_cfa_expression ... DW_OP_deref): the caller's
// stack pointer is stored at the top of the new stack, and CFA = *(rsp+8)+8.
// libunwind follows it. No preserved register holds the caller's frame.
//
// Fiber 1 (ucontext, stack G mapped just above a scratch stack F) runs
// f1 -> g1 -> on_stack(F, W); W waits on a held mutex (timed lock, deadline
// past: a wait per call), then fiber 1 is abandoned (switches back to main
// from inside W; its frames on G stay as they were).
// Fiber 2 (stack H, elsewhere) runs f2 -> on_stack(F, W); W waits again.
//   mode "stale": G is left mapped: fiber 2's waits should be
//                 f2;on_stack;W but the memo reports f1;g1;on_stack;W.
//   mode "unmap": G is unmapped before fiber 2: SIGSEGV in StackMemo::find.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "held_mutex.h"

void on_stack(void* stack_top, void (*fn)(void));
__asm__(
    ".text\n.globl on_stack\n.type on_stack,@function\non_stack:\n"
    ".cfi_startproc\n"
    "  mov %rsp,%rax\n"
    "  mov %rdi,%rsp\n"
    "  push %rax\n"    // new top - 8: the caller's rsp
    "  sub $8,%rsp\n"  // aligned for the call
    // DW_CFA_def_cfa_expression, 5 bytes: DW_OP_breg7 8; DW_OP_deref; DW_OP_plus_uconst 8
    ".cfi_escape 0x0f,0x05,0x77,0x08,0x06,0x23,0x08\n"
    "  call *%rsi\n"
    "  mov 8(%rsp),%rsp\n"
    ".cfi_def_cfa %rsp,8\n"
    "  ret\n"
    ".cfi_endproc\n.size on_stack,.-on_stack\n");

static char* F_top;
static ucontext_t main_ctx, fib_ctx;
static int in_fiber = 0;
enum { kStack = 32 * 1024 };

__attribute__((noinline)) void W(void) {
  struct timespec past = {0, 0};
  for (int i = 0; i < 5; i++)
    if (pthread_mutex_timedlock(&m, &past) == 0) pthread_mutex_unlock(&m);
  if (in_fiber == 1) setcontext(&main_ctx);  // fiber 1 is abandoned here
}

__attribute__((noinline)) void g1(void) {
  on_stack(F_top, W);
  __asm__ volatile("" ::: "memory");
}
__attribute__((noinline)) static void f1(void) {
  g1();
  __asm__ volatile("" ::: "memory");
}
__attribute__((noinline)) static void f2(void) {
  on_stack(F_top, W);
  __asm__ volatile("" ::: "memory");
}

static void run_fiber(char* stack, void (*fn)(void)) {
  getcontext(&fib_ctx);
  fib_ctx.uc_stack.ss_sp = stack;
  fib_ctx.uc_stack.ss_size = kStack;
  fib_ctx.uc_link = &main_ctx;
  makecontext(&fib_ctx, fn, 0);
  swapcontext(&main_ctx, &fib_ctx);
}

int main(int argc, char** argv) {
  int unmap = argc > 1 && strcmp(argv[1], "unmap") == 0;
  hold_mutex_elsewhere();
  char* FG = mmap(NULL, 2 * kStack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  F_top = FG + kStack - 64;
  char* G = FG + kStack;
  char* H = mmap(NULL, kStack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  in_fiber = 1;
  run_fiber(G, f1);
  puts("fiber 1 done");
  fflush(stdout);
  if (unmap) munmap(G, kStack);
  in_fiber = 2;
  run_fiber(H, f2);
  puts("fiber 2 done");
  exit(0);
}
