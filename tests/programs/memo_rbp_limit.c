// memo-audit4: the main thread, its own stack, ordinary frames; no fiber,
// no hand-written unwind rule, no setrlimit.
// A function keeps a value in rbp (a general register under the SysV ABI;
// gcc -O2 uses it so) while it calls W, which waits on a held mutex. The
// value is an address near the bottom of what contend takes for the main
// thread's stack, [__libc_stack_end - 8 MiB, __libc_stack_end): e.g. a
// runtime's "stack limit" pointer (top - RLIMIT_STACK + margin). That
// address is not mapped, and the stack cannot grow to it: RLIMIT_STACK is
// counted from the top of the [stack] mapping, which lies above
// __libc_stack_end by the arguments, environment and auxv.
// StackMemo::place_checks (learn) reads the word at rbp - 8 of every walked
// frame, bounded only by that range: SIGSEGV.
// usage: rbp_limit [offset]   (rbp = __libc_stack_end - 8 MiB + offset; default 16)
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "held_mutex.h"

void call_with_rbp(uintptr_t rbp_value, void (*fn)(void));
__asm__(
    ".text\n.globl call_with_rbp\n.type call_with_rbp,@function\ncall_with_rbp:\n"
    ".cfi_startproc\n"
    "  push %rbp\n"
    ".cfi_def_cfa_offset 16\n"
    ".cfi_offset %rbp,-16\n"
    "  mov %rdi,%rbp\n"
    "  call *%rsi\n"
    "  pop %rbp\n"
    ".cfi_restore %rbp\n"
    ".cfi_def_cfa_offset 8\n"
    "  ret\n"
    ".cfi_endproc\n.size call_with_rbp,.-call_with_rbp\n");

__attribute__((noinline)) void W(void) {
  struct timespec past = {0, 0};
  for (int i = 0; i < 5; i++)
    if (pthread_mutex_timedlock(&m, &past) == 0) pthread_mutex_unlock(&m);
}

int main(int argc, char** argv) {
  long off = argc > 1 ? atol(argv[1]) : 16;
  extern void* __libc_stack_end;
  struct rlimit rl;
  getrlimit(RLIMIT_STACK, &rl);
  uintptr_t size = 8u << 20;
  if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < size) size = rl.rlim_cur;
  uintptr_t v = (uintptr_t)__libc_stack_end - size + off;
  char line[256];
  FILE* f = fopen("/proc/self/maps", "r");
  while (fgets(line, sizeof line, f))
    if (strstr(line, "[stack]")) printf("maps: %s", line);
  fclose(f);
  printf("__libc_stack_end %p, rlimit %#lx, rbp %#lx\n", __libc_stack_end, (unsigned long)rl.rlim_cur,
         (unsigned long)v);
  fflush(stdout);
  hold_mutex_elsewhere();
  for (int i = 0; i < 4; i++) call_with_rbp(v, W);
  f = fopen("/proc/self/maps", "r");
  while (fgets(line, sizeof line, f))
    if (strstr(line, "[stack]")) printf("maps after: %s", line);
  fclose(f);
  puts("done");
  return 0;
}
