/* What CONTEND_FUTEX=all costs per call (bench/futex_trap_cost.py runs it
 * plain, under libcontend.so, and under libcontend.so with the mode on):
 *   trapped_wait      a futex wait the kernel answers at once (EAGAIN), made
 *                     from this program's code: trapped, re-issued, recorded
 *                     (stack walked through the signal frame);
 *   signal_mask       pthread_sigmask query: trapped and emulated;
 *   futex_wake        not trapped: the filter runs and allows;
 *   getppid           not trapped, not even looked at by the filter;
 *   barrier_round     2 threads meeting at pthread_barrier_wait: one trapped
 *                     and recorded wait per round (per thread that waits);
 *   semaphore_round   2 threads handing a token over semaphores: hooked,
 *                     the futex wait inside re-issued unrecorded.
 * Prints one JSON object: ns per call (per round for the last two). */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* Inline, so that the `syscall` instruction is in this program's code. */
static long raw3(long nr, long a1, long a2, long a3) {
  long ret;
  register long r10 __asm__("r10") = 0;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10)
                   : "rcx", "r11", "memory");
  return ret;
}

static int g_word = 1;

static double per_call(long n, int which) {
  sigset_t s;
  double start = now_ns();
  for (long i = 0; i < n; ++i) {
    switch (which) {
      case 0: raw3(SYS_futex, (long)&g_word, FUTEX_WAIT_PRIVATE, 0); break; /* word is 1: EAGAIN */
      case 1: pthread_sigmask(SIG_BLOCK, NULL, &s); break;
      case 2: raw3(SYS_futex, (long)&g_word, FUTEX_WAKE_PRIVATE, 1); break;
      default: raw3(SYS_getppid, 0, 0, 0); break;
    }
  }
  return (now_ns() - start) / (double)n;
}

static pthread_barrier_t g_barrier;
static sem_t g_ping, g_pong;
static long g_rounds;

static void* barrier_partner(void* arg) {
  (void)arg;
  for (long i = 0; i < g_rounds; ++i) pthread_barrier_wait(&g_barrier);
  return NULL;
}

static void* semaphore_partner(void* arg) {
  (void)arg;
  for (long i = 0; i < g_rounds; ++i) {
    sem_wait(&g_ping);
    sem_post(&g_pong);
  }
  return NULL;
}

static double per_round(long rounds, int semaphores) {
  g_rounds = rounds;
  pthread_t t;
  pthread_barrier_init(&g_barrier, NULL, 2);
  sem_init(&g_ping, 0, 0);
  sem_init(&g_pong, 0, 0);
  double start = now_ns();
  pthread_create(&t, NULL, semaphores ? semaphore_partner : barrier_partner, NULL);
  for (long i = 0; i < rounds; ++i) {
    if (semaphores) {
      sem_post(&g_ping);
      sem_wait(&g_pong);
    } else {
      pthread_barrier_wait(&g_barrier);
    }
  }
  pthread_join(t, NULL);
  return (now_ns() - start) / (double)rounds;
}

int main(void) {
  long n = 200000;
  per_call(n / 10, 0); /* warm: the first wait's stack is written once */
  printf("{\"trapped_wait\": %.1f, \"signal_mask\": %.1f, \"futex_wake\": %.1f, \"getppid\": %.1f, ",
         per_call(n, 0), per_call(n, 1), per_call(n, 2), per_call(n, 3));
  printf("\"barrier_round\": %.1f, \"semaphore_round\": %.1f}\n", per_round(50000, 0), per_round(50000, 1));
  return 0;
}
