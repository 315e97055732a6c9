// The word that ends a walk is not checked. Two fibers on the same stack
// addresses: E calls W, which waits on a held mutex (timed lock, deadline
// past). E's return address slot is at the same address both times:
//   chain A: E entered with a return address of 0 (the walk ends at E);
//   chain B: E called by a trampoline T whose own return address is 0
//            (the walk is W, E, T).
// Run A first, then B: B's waits should show T;E;W. With the memo they show
// E;W (A's walk). Order "BA": A's waits would show T;E;W.
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "held_mutex.h"

// enter(top, fn, via_t): switches to the stack at top (16-aligned), then
//   via_t == 0: push 0; jmp fn          (fn's return slot: top-8, holding 0)
//   via_t != 0: rsp = top+8; push 0; jmp T, and T calls fn (T's return
//               slot: top, holding 0; fn's: top-8, holding T's return)
// fn must not return: it calls leave(), which returns from enter().
void enter(void* top, void (*fn)(void), long via_t);
void leave(void);
void T(void);
__asm__(
    ".text\n"
    ".globl enter\n.type enter,@function\nenter:\n.cfi_startproc\n"
    "  push %rbp\n push %rbx\n push %r12\n push %r13\n push %r14\n push %r15\n"
    "  mov %rsp, saved_rsp(%rip)\n"
    "  mov %rsi, %rbx\n"
    "  test %rdx,%rdx\n jnz 1f\n"
    "  mov %rdi,%rsp\n push $0\n jmp *%rbx\n"
    "1: lea 8(%rdi),%rsp\n push $0\n jmp T\n"
    ".cfi_endproc\n.size enter,.-enter\n"
    ".globl T\n.type T,@function\nT:\n.cfi_startproc\n"
    "  call *%rbx\n ud2\n"
    ".cfi_endproc\n.size T,.-T\n"
    ".globl leave\n.type leave,@function\nleave:\n.cfi_startproc\n"
    "  mov saved_rsp(%rip),%rsp\n"
    "  pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbx\n pop %rbp\n ret\n"
    ".cfi_endproc\n.size leave,.-leave\n"
    ".data\nsaved_rsp: .quad 0\n.text\n");

__attribute__((noinline)) void W(void) {
  struct timespec past = {0, 0};
  for (int i = 0; i < 5; i++)
    if (pthread_mutex_timedlock(&m, &past) == 0) pthread_mutex_unlock(&m);
}

__attribute__((noinline)) void E(void) {
  W();
  leave();
}

int main(int argc, char** argv) {
  const char* order = argc > 1 ? argv[1] : "AB";
  hold_mutex_elsewhere();
  enum { kStack = 64 * 1024 };
  char* S = mmap(NULL, kStack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char* top = S + kStack - 256;
  for (const char* p = order; *p; ++p) {
    enter(top, E, *p == 'B');
    printf("%c done\n", *p);
  }
  exit(0);
}
