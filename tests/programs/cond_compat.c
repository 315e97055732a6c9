/* A program bound to the condition-variable ABI before glibc 2.3.2
 * (pthread_cond_*@GLIBC_2.2.5, 8-byte objects), as old binaries are: a
 * timed wait must time out, signal and broadcast succeed, destroy must not
 * crash, and nothing past the 8 bytes may be written. Prints each result. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

__asm__(".symver pthread_cond_init, pthread_cond_init@GLIBC_2.2.5");
__asm__(".symver pthread_cond_destroy, pthread_cond_destroy@GLIBC_2.2.5");
__asm__(".symver pthread_cond_wait, pthread_cond_wait@GLIBC_2.2.5");
__asm__(".symver pthread_cond_timedwait, pthread_cond_timedwait@GLIBC_2.2.5");
__asm__(".symver pthread_cond_signal, pthread_cond_signal@GLIBC_2.2.5");
__asm__(".symver pthread_cond_broadcast, pthread_cond_broadcast@GLIBC_2.2.5");

/* The old object is one pointer; what follows it must stay untouched. */
static struct {
  void* cond;
  unsigned long canary[7];
} g_old;

int main(void) {
  for (int i = 0; i < 7; ++i) g_old.canary[i] = 0xC0FFEE00u + (unsigned)i;
  pthread_cond_t* c = (pthread_cond_t*)&g_old;
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  printf("init %d\n", pthread_cond_init(c, NULL));
  pthread_mutex_lock(&m);
  struct timespec past;
  clock_gettime(CLOCK_REALTIME, &past);
  past.tv_nsec = 0;
  int rc = pthread_cond_timedwait(c, &m, &past);
  printf("timedwait %s\n", rc == ETIMEDOUT ? "ETIMEDOUT" : strerror(rc));
  pthread_mutex_unlock(&m);
  printf("signal %d\n", pthread_cond_signal(c));
  printf("broadcast %d\n", pthread_cond_broadcast(c));
  printf("destroy %d\n", pthread_cond_destroy(c));
  int intact = 1;
  for (int i = 0; i < 7; ++i) intact &= g_old.canary[i] == 0xC0FFEE00u + (unsigned)i;
  printf("bytes after the object %s\n", intact ? "intact" : "overwritten");
  return 0;
}
