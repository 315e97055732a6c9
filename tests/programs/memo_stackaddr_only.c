// memo-audit4: a thread with a stack the program supplies through the
// (deprecated, still exported) pthread_attr_setstackaddr: only the top is
// set, pthread_attr_getstack reports size 0, so stack_request takes it for
// a glibc-mapped stack of the default size (8 MiB): the range reaches 8 MiB
// below the program's 256 KiB buffer. rbp holds an address 1 MiB below the
// buffer (not mapped) while W waits; the stack itself has no guard page. (Derived from rbp_limit.c; its
// comment, about the main thread, follows.)
//
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
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

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

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static volatile int held;

__attribute__((noinline)) void W(void) {
  struct timespec past = {0, 0};
  for (int i = 0; i < 5; i++)
    if (pthread_mutex_timedlock(&m, &past) == 0) pthread_mutex_unlock(&m);
}

static void* holder(void* arg) {
  (void)arg;
  pthread_mutex_lock(&m);
  held = 1;
  pause();
  return NULL;
}

static char* stack_base;
static void* worker(void* arg) {
  (void)arg;
  for (int i = 0; i < 4; i++) call_with_rbp((uintptr_t)stack_base - (1u << 20) + 16, W);
  return NULL;
}

int main(void) {
  pthread_t h, t;
  pthread_create(&h, NULL, holder, NULL);
  while (!held) usleep(1000);
  size_t size = 256 * 1024;
  stack_base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack_base == MAP_FAILED) return 2;
  munmap(stack_base - (1u << 20), 1u << 20);  // nothing mapped in the 1 MiB below it
  pthread_attr_t a;
  pthread_attr_init(&a);
  pthread_attr_setstackaddr(&a, stack_base + size);
  if (pthread_create(&t, &a, worker, NULL) != 0) return 3;
  pthread_join(t, NULL);
  puts("done");
  return 0;
}
