/* A thread with a cancellation request pending calls sem_wait,
 * sem_timedwait and sem_clockwait on a semaphore that is free. glibc acts
 * on the request in sem_wait and sem_timedwait before trying (POSIX: they
 * are cancellation points that "shall occur"), and not in sem_clockwait;
 * either way the thread's fate and the semaphore's value must be the same
 * under the profiler as without it. Last, a mutex seen for the first time
 * (the profiler walks the stack to name it) is locked and unlocked with the
 * request pending: neither call is a cancellation point, so the thread
 * goes on to pthread_testcancel with the mutex free (it was cancelled
 * inside the lock, holding it, when a first stack walk acted on the
 * request). Prints one line per call. */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>

static sem_t g_sem;
static pthread_mutex_t g_fresh = PTHREAD_MUTEX_INITIALIZER;
static int g_past_unlock;

static void* waiter(void* arg) {
  long which = (long)arg;
  struct timespec ts;
  clock_gettime(which == 2 ? CLOCK_MONOTONIC : CLOCK_REALTIME, &ts);
  ts.tv_sec += 5;
  pthread_cancel(pthread_self());  // deferred: pending until a cancellation point
  int rc = -1;
  if (which == 0) rc = sem_wait(&g_sem);
  if (which == 1) rc = sem_timedwait(&g_sem, &ts);
  if (which == 2) rc = sem_clockwait(&g_sem, CLOCK_MONOTONIC, &ts);
  if (which == 3) {
    pthread_mutex_lock(&g_fresh);
    pthread_mutex_unlock(&g_fresh);
    g_past_unlock = 1;
    pthread_testcancel();
  }
  return rc == 0 ? (void*)"returned 0" : (void*)"returned an error";
}

int main(void) {
  static const char* const names[] = {"sem_wait", "sem_timedwait", "sem_clockwait", "mutex"};
  for (long which = 0; which < 4; ++which) {
    sem_init(&g_sem, 0, 1);
    pthread_t t;
    void* result = NULL;
    pthread_create(&t, NULL, waiter, (void*)which);
    pthread_join(t, &result);
    int value = -1;
    sem_getvalue(&g_sem, &value);
    printf("%s: %s, value %d\n", names[which], result == PTHREAD_CANCELED ? "cancelled" : (const char*)result,
           value);
    sem_destroy(&g_sem);
  }
  printf("mutex: past the unlock %d, free %d\n", g_past_unlock, pthread_mutex_trylock(&g_fresh) == 0);
  return 0;
}
