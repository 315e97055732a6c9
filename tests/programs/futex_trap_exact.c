/* Results through futex waits that CONTEND_FUTEX=all re-issues from its
 * signal handler: priority-inheritance locks (FUTEX_LOCK_PI, requeue to a PI
 * mutex), robust owner death, timeouts, EINTR, waits interrupted and
 * resumed, and thread cancellation while blocked (the cancellation unwinds
 * through the handler). The output must be the same with and without the
 * profiler. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void pause_ms(int ms) {
  usleep((useconds_t)ms * 1000);
}

static struct timespec in_ms(int ms) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  t.tv_nsec += (long)ms * 1000000L;
  t.tv_sec += t.tv_nsec / 1000000000L;
  t.tv_nsec %= 1000000000L;
  return t;
}

/* ---- priority inheritance ---- */

static pthread_mutex_t g_pi;
static int g_pi_count;

static void* pi_locker(void* arg) {
  (void)arg;
  int rc = pthread_mutex_lock(&g_pi);
  ++g_pi_count;
  pthread_mutex_unlock(&g_pi);
  return (void*)(long)rc;
}

static void* lock_and_exit(void* m) {
  pthread_mutex_lock(m);
  return NULL;
}

static void pi_mutexes(void) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
  pthread_mutex_init(&g_pi, &a);
  pthread_mutex_lock(&g_pi);
  pthread_t t[3];
  for (int i = 0; i < 3; ++i) pthread_create(&t[i], NULL, pi_locker, NULL);
  pause_ms(100);
  pthread_mutex_unlock(&g_pi);
  long rcs = 0;
  for (int i = 0; i < 3; ++i) {
    void* rc;
    pthread_join(t[i], &rc);
    rcs += (long)rc;
  }
  printf("PI mutex: 3 waiters, results %ld, count %d\n", rcs, g_pi_count);

  /* Robust and PI: the owner dies holding it. */
  pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
  pthread_mutex_t robust;
  pthread_mutex_init(&robust, &a);
  pthread_t t0;
  pthread_create(&t0, NULL, lock_and_exit, &robust);
  pthread_join(t0, NULL);
  int rc = pthread_mutex_lock(&robust);
  printf("robust PI mutex after its owner died: %s", strerror(rc));
  if (rc == EOWNERDEAD) printf(", consistent %d", pthread_mutex_consistent(&robust));
  printf(", unlock %d\n", pthread_mutex_unlock(&robust));
  pthread_mutexattr_destroy(&a);
}

/* ---- condition variable requeued to a PI mutex ---- */

static pthread_cond_t g_cond = PTHREAD_COND_INITIALIZER;
static int g_ready;

static void* cond_waiter(void* arg) {
  (void)arg;
  pthread_mutex_lock(&g_pi);
  int rc = 0;
  while (!g_ready && rc == 0) rc = pthread_cond_wait(&g_cond, &g_pi);
  pthread_mutex_unlock(&g_pi);
  return (void*)(long)rc;
}

static void pi_condition(void) {
  pthread_t t;
  pthread_create(&t, NULL, cond_waiter, NULL);
  pause_ms(50);
  pthread_mutex_lock(&g_pi);
  g_ready = 1;
  pthread_cond_broadcast(&g_cond);
  pthread_mutex_unlock(&g_pi);
  void* rc;
  pthread_join(t, &rc);
  printf("condition wait with a PI mutex: %ld\n", (long)rc);
}

/* ---- timeouts and EINTR ---- */

static sem_t g_sem;
static pthread_mutex_t g_plain = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t g_signals;

static void on_signal(int sig) {
  (void)sig;
  ++g_signals;
}

static void* sem_waiter(void* arg) {
  (void)arg;
  int rc = sem_wait(&g_sem);
  return (void*)(long)(rc == 0 ? 0 : errno);
}

static void* hold_plain(void* arg) {
  (void)arg;
  pthread_mutex_lock(&g_plain);
  pause_ms(200);
  pthread_mutex_unlock(&g_plain);
  return NULL;
}

static pthread_barrier_t g_barrier;
static void* barrier_waiter(void* arg) {
  (void)arg;
  return (void*)(long)pthread_barrier_wait(&g_barrier);
}

static void timeouts_and_interruptions(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal; /* no SA_RESTART */
  sigaction(SIGUSR1, &sa, NULL);
  sem_init(&g_sem, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, sem_waiter, NULL);
  pause_ms(50);
  pthread_kill(t, SIGUSR1);
  void* rc;
  pthread_join(t, &rc);
  printf("sem_wait interrupted by a handler: %s\n", strerror((int)(long)rc));

  pthread_create(&t, NULL, hold_plain, NULL);
  pause_ms(50);
  struct timespec deadline = in_ms(20);
  int lock_rc = pthread_mutex_timedlock(&g_plain, &deadline);
  printf("timed lock of a held mutex: %s\n", strerror(lock_rc));
  pthread_join(t, NULL);

  /* A barrier wait interrupted by handlers, with and without SA_RESTART:
   * glibc waits again; the barrier completes as ever. */
  for (int restart = 0; restart < 2; ++restart) {
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigaction(SIGUSR1, &sa, NULL);
    g_signals = 0;
    pthread_barrier_init(&g_barrier, NULL, 3);
    pthread_t w[2];
    for (int i = 0; i < 2; ++i) pthread_create(&w[i], NULL, barrier_waiter, NULL);
    for (int i = 0; i < 5; ++i) {
      pause_ms(10);
      pthread_kill(w[i % 2], SIGUSR1);
      /* Each handled before the next is sent: a thread not scheduled in
       * time would otherwise see two as one, with or without a profiler. */
      for (int spin = 0; g_signals == i && spin < 2000; ++spin) pause_ms(1);
    }
    pause_ms(10);
    long serial = pthread_barrier_wait(&g_barrier) == PTHREAD_BARRIER_SERIAL_THREAD;
    for (int i = 0; i < 2; ++i) {
      pthread_join(w[i], &rc);
      serial += (long)rc == PTHREAD_BARRIER_SERIAL_THREAD;
    }
    pthread_barrier_destroy(&g_barrier);
    printf("barrier with %d signals (SA_RESTART %d): one serial thread %d\n", (int)g_signals, restart,
           serial == 1);
  }
}

/* ---- cancellation while blocked ---- */

static volatile int g_cleanups;
static void cleanup(void* arg) {
  (void)arg;
  ++g_cleanups;
}

static void* blocked_forever(void* arg) {
  (void)arg;
  pthread_cleanup_push(cleanup, NULL);
  sem_wait(&g_sem); /* a cancellation point */
  pthread_cleanup_pop(0);
  return NULL;
}

static void* join_forever(void* arg) {
  pthread_cleanup_push(cleanup, NULL);
  pthread_join(*(pthread_t*)arg, NULL);
  pthread_cleanup_pop(0);
  return NULL;
}

static void* stdout_lock_async(void* arg) {
  (void)arg;
  pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
  pthread_cleanup_push(cleanup, NULL);
  flockfile(stdout); /* a futex wait inside glibc, not a hooked function */
  funlockfile(stdout);
  pthread_cleanup_pop(0);
  return NULL;
}

static void cancellation(void) {
  pthread_t sleeper, joiner, locker;
  pthread_create(&sleeper, NULL, blocked_forever, NULL);
  pthread_create(&joiner, NULL, join_forever, &sleeper);
  pause_ms(50);
  void* rc;
  pthread_cancel(joiner);
  pthread_join(joiner, &rc);
  printf("cancelled in pthread_join: %d\n", rc == PTHREAD_CANCELED);
  pthread_cancel(sleeper);
  pthread_join(sleeper, &rc);
  printf("cancelled in sem_wait: %d\n", rc == PTHREAD_CANCELED);
  fflush(stdout);
  flockfile(stdout);
  pthread_create(&locker, NULL, stdout_lock_async, NULL);
  pause_ms(50);
  pthread_cancel(locker);
  pthread_join(locker, &rc);
  funlockfile(stdout);
  printf("cancelled (asynchronous) waiting for stdout's lock: %d\n", rc == PTHREAD_CANCELED);
  printf("cleanup handlers run: %d\n", g_cleanups);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  pi_mutexes();
  pi_condition();
  timeouts_and_interruptions();
  cancellation();
  return 0;
}
