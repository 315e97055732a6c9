/* A stack that shrinks under a kept walk: one thread runs two ucontext
 * fibers on one mapping, and both wait from the same address, in wait_sized()
 * (a VLA sized so that its lock call sits there). The first fiber waits deep
 * in a recursion, with its callers' frames in the top half of a 128 KiB
 * stack; the program then unmaps that half, and the second fiber waits at
 * once on what is left. A memo that read the first walk's words directly
 * read the unmapped half: SIGSEGV. Expected: both fibers finish, exit 0. */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

enum { kStack = 128 << 10 };

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t g_held, g_done;
static ucontext_t g_main, g_fiber;
static uintptr_t g_target;
static int g_depth = 120; /* the first fiber's recursion, about 512 bytes a level */

#define KEEP(p) __asm__ volatile("" : : "r"(p) : "memory")

static void* holder(void* arg) {
  (void)arg;
  for (int i = 0; i < 2; i++) {
    pthread_mutex_lock(&g_lock);
    sem_post(&g_held);
    usleep(2000);
    pthread_mutex_unlock(&g_lock);
    sem_wait(&g_done);
  }
  return NULL;
}

__attribute__((noinline)) void wait_sized(size_t n) {
  char vla[n];
  KEEP(vla);
  sem_wait(&g_held);
  pthread_mutex_lock(&g_lock);
  pthread_mutex_unlock(&g_lock);
  sem_post(&g_done);
  KEEP(vla);
}

__attribute__((noinline)) void recurse(int depth) {
  volatile char frame[480];
  KEEP(frame);
  if (depth > 0)
    recurse(depth - 1);
  else
    wait_sized((uintptr_t)__builtin_frame_address(0) - g_target);
  KEEP(frame);
}

__attribute__((noinline)) void fiber(void) {
  recurse(g_depth);
  g_depth = 0; /* the second fiber waits at once */
  KEEP(&g_depth);
}

static void run_fiber(char* stack, size_t size) {
  getcontext(&g_fiber);
  g_fiber.uc_stack.ss_sp = stack;
  g_fiber.uc_stack.ss_size = size;
  g_fiber.uc_link = &g_main;
  makecontext(&g_fiber, fiber, 0);
  swapcontext(&g_main, &g_fiber);
}

int main(void) {
  sem_init(&g_held, 0, 0);
  sem_init(&g_done, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, holder, NULL);
  char* stack = mmap(NULL, kStack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (stack == MAP_FAILED) return 1;
  g_target = (uintptr_t)stack + (60 << 10);
  run_fiber(stack, kStack);
  printf("first fiber done\n");
  munmap(stack + kStack / 2, kStack / 2); /* the stack shrinks to its lower half */
  run_fiber(stack, kStack / 2);
  printf("second fiber done\n");
  pthread_join(t, NULL);
  return 0;
}
