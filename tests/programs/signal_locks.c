/* A signal handler that takes a mutex, delivered again and again while the
 * interrupted thread is inside lock calls (and so, under the profiler, inside
 * its hooks). The program must finish with the right count; the handler's
 * acquisitions are forwarded, never corrupt the thread's records. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

static pthread_mutex_t g_main_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_handler_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_long g_handled;
static long g_in_handler;

static void on_alarm(int sig) {
  (void)sig;
  pthread_mutex_lock(&g_handler_lock);
  ++g_in_handler;
  pthread_mutex_unlock(&g_handler_lock);
  atomic_fetch_add(&g_handled, 1);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_alarm;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval it = {{0, 200}, {0, 200}}; /* every 200 us */
  setitimer(ITIMER_REAL, &it, NULL);
  long n = 0;
  while (atomic_load(&g_handled) < 2000) {
    pthread_mutex_lock(&g_main_lock);
    ++n;
    pthread_mutex_unlock(&g_main_lock);
  }
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
  printf("handler ran %ld times, consistent %d\n", g_in_handler >= 2000 ? 2000L : g_in_handler,
         g_in_handler == atomic_load(&g_handled));
  printf("main lock %p acquisitions %ld\n", (void*)&g_main_lock, n);
  return 0;
}
