/* Every thread blocks SIGTERM, then main sends itself SIGTERM and waits
 * for it with sigtimedwait: the signal must be taken by sigtimedwait (exit
 * status 0), not delivered to some thread that left it unblocked (which
 * would kill the process). The worker is created first, so that the
 * profiler's own thread exists before the program blocks anything. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int g_blocked;
static atomic_int g_done;

static void block_sigterm(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
}

static void* worker(void* arg) {
  (void)arg;
  block_sigterm();
  atomic_store(&g_blocked, 1);
  while (!atomic_load(&g_done)) {
    pthread_mutex_lock(&g_lock);
    pthread_mutex_unlock(&g_lock);
    struct timespec ts = {0, 1000000L};
    nanosleep(&ts, NULL);
  }
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  /* Give a lazily started helper thread time to exist. */
  struct timespec ts = {0, 100 * 1000000L};
  nanosleep(&ts, NULL);
  block_sigterm();
  while (!atomic_load(&g_blocked)) nanosleep(&ts, NULL);
  kill(getpid(), SIGTERM);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  struct timespec timeout = {5, 0};
  int sig = sigtimedwait(&set, NULL, &timeout);
  atomic_store(&g_done, 1);
  pthread_join(t, NULL);
  printf("sigtimedwait %d\n", sig);
  return sig == SIGTERM ? 0 : 1;
}
