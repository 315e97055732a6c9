/* A program with its own pthread_mutex_lock (exported with -rdynamic, so
 * that it comes first in the global scope, before libcontend.so's), which
 * counts its calls and forwards to the next definition. The profiler's own
 * start-up must not call it: prints how many calls it saw before main. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static long g_calls;

int pthread_mutex_lock(pthread_mutex_t* m) {
  static int (*next)(pthread_mutex_t*);
  if (next == NULL) next = (int (*)(pthread_mutex_t*))dlsym(RTLD_NEXT, "pthread_mutex_lock");
  ++g_calls;
  return next(m);
}

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

int main(void) {
  long before_main = g_calls;
  pthread_mutex_lock(&g_lock);
  pthread_mutex_unlock(&g_lock);
  printf("calls before main: %ld\n", before_main);
  return 0;
}
