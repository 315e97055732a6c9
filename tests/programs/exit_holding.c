/* A thread exits while holding locks: a robust mutex (the next locker gets
 * EOWNERDEAD, makes it consistent and goes on) and a reader lock of an
 * rwlock it never releases (a writer then times out). Prints what each call
 * returned; the output must be the same under the profiler. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t g_robust;
static pthread_rwlock_t g_rwlock = PTHREAD_RWLOCK_INITIALIZER;

static void* leave_holding(void* arg) {
  (void)arg;
  printf("thread: lock robust %d\n", pthread_mutex_lock(&g_robust));
  printf("thread: rdlock %d\n", pthread_rwlock_rdlock(&g_rwlock));
  return NULL; /* exits holding both */
}

int main(void) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
  pthread_mutex_init(&g_robust, &attr);
  pthread_t t;
  pthread_create(&t, NULL, leave_holding, NULL);
  pthread_join(t, NULL);
  int rc = pthread_mutex_lock(&g_robust);
  printf("main: lock robust %s\n", rc == EOWNERDEAD ? "EOWNERDEAD" : strerror(rc));
  printf("main: consistent %d\n", pthread_mutex_consistent(&g_robust));
  printf("main: unlock %d\n", pthread_mutex_unlock(&g_robust));
  printf("main: lock again %d\n", pthread_mutex_lock(&g_robust));
  printf("main: unlock %d\n", pthread_mutex_unlock(&g_robust));
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_nsec += 50000000;
  if (deadline.tv_nsec >= 1000000000) {
    deadline.tv_sec += 1;
    deadline.tv_nsec -= 1000000000;
  }
  rc = pthread_rwlock_timedwrlock(&g_rwlock, &deadline);
  printf("main: timedwrlock %s\n", rc == ETIMEDOUT ? "ETIMEDOUT" : strerror(rc));
  printf("main: rdlock %d\n", pthread_rwlock_rdlock(&g_rwlock));
  printf("main: unlock %d\n", pthread_rwlock_unlock(&g_rwlock));
  return 0;
}
