// Built without unwind tables (tests/programs/CMakeLists.txt): a stack
// walk through this frame falls back to frame pointers, and libunwind
// checks the addresses it reads through its pipe.
#include <pthread.h>

extern pthread_mutex_t g_walker_lock;
extern volatile long g_walker_counter;

__attribute__((noinline)) void nocfi_lock_work(void) {
  pthread_mutex_lock(&g_walker_lock);
  for (volatile int i = 0; i < 200; ++i) g_walker_counter = g_walker_counter + 1;
  pthread_mutex_unlock(&g_walker_lock);
}

// The program's own stack walk (walker_pipe_own.c), from this frame.
__attribute__((noinline)) int nocfi_backtrace(int (*walk)(void**, int), void** frames, int max) {
  int n = walk(frames, max);
  __asm__ volatile("" ::: "memory");
  return n;
}
