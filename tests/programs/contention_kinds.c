/* Deterministic contention, one primitive at a time:
 *   contention_kinds KIND [ROUNDS]
 * KIND: mutex, rwlock-read (a reader behind a writer), rwlock-write (a writer
 * behind a reader), spinlock, condition, futex, semaphore, trylock, timeout.
 *
 * Each round: the holder takes the primitive, the waiter announces it is
 * about to block and blocks, the holder keeps it 20 ms and releases it. The
 * handshake uses atomics and nanosleep only, so the only recorded waits are
 * the planted ones. Prints "<kind> <address>" for the tests to find it. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum { kHoldMs = 20 };

static atomic_int g_phase;
static int g_rounds = 5;
static const char* g_kind;

static pthread_mutex_t g_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t g_rwlock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_spinlock_t g_spin;
static pthread_cond_t g_cond = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t g_cond_mutex = PTHREAD_MUTEX_INITIALIZER;
static int g_cond_ready;
static uint32_t g_futex_word;
static sem_t g_sem;

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static void await_phase(int value) {
  while (atomic_load(&g_phase) != value) {
    struct timespec ts = {0, 20000};
    nanosleep(&ts, NULL);
  }
}

static int is(const char* k) {
  return strcmp(g_kind, k) == 0;
}

/* The holder's side of one round: take, hold while the waiter blocks, give. */
static void hold_round(void) {
  if (is("mutex") || is("trylock") || is("timeout")) pthread_mutex_lock(&g_mutex);
  if (is("rwlock-read")) pthread_rwlock_wrlock(&g_rwlock);
  if (is("rwlock-write")) pthread_rwlock_rdlock(&g_rwlock);
  if (is("spinlock")) pthread_spin_lock(&g_spin);
  atomic_fetch_add(&g_phase, 1); /* held */
  await_phase(atomic_load(&g_phase) / 3 * 3 + 2);
  sleep_ms(is("timeout") ? 3 * kHoldMs : kHoldMs);
  if (is("mutex") || is("trylock") || is("timeout")) pthread_mutex_unlock(&g_mutex);
  if (is("rwlock-read") || is("rwlock-write")) pthread_rwlock_unlock(&g_rwlock);
  if (is("spinlock")) pthread_spin_unlock(&g_spin);
  if (is("condition")) {
    pthread_mutex_lock(&g_cond_mutex);
    g_cond_ready = 1;
    pthread_cond_signal(&g_cond);
    pthread_mutex_unlock(&g_cond_mutex);
  }
  if (is("futex")) {
    atomic_store((atomic_uint*)&g_futex_word, 1);
    syscall(SYS_futex, &g_futex_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
  }
  if (is("semaphore")) sem_post(&g_sem);
}

/* The waiter's side: block on what the holder has. */
static void wait_round(void) {
  if (is("condition")) pthread_mutex_lock(&g_cond_mutex);
  atomic_fetch_add(&g_phase, 1); /* about to block */
  if (is("mutex")) pthread_mutex_lock(&g_mutex);
  if (is("trylock")) {
    for (int i = 0; i < 3; ++i)
      if (pthread_mutex_trylock(&g_mutex) != EBUSY) abort();
    pthread_mutex_lock(&g_mutex);
  }
  if (is("timeout")) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += kHoldMs * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
      ts.tv_sec += 1;
      ts.tv_nsec -= 1000000000L;
    }
    if (pthread_mutex_timedlock(&g_mutex, &ts) != ETIMEDOUT) abort();
  }
  if (is("rwlock-read")) pthread_rwlock_rdlock(&g_rwlock);
  if (is("rwlock-write")) pthread_rwlock_wrlock(&g_rwlock);
  if (is("spinlock")) pthread_spin_lock(&g_spin);
  if (is("condition")) {
    while (!g_cond_ready) pthread_cond_wait(&g_cond, &g_cond_mutex);
    g_cond_ready = 0;
    pthread_mutex_unlock(&g_cond_mutex);
  }
  if (is("futex")) {
    while (atomic_load((atomic_uint*)&g_futex_word) == 0)
      syscall(SYS_futex, &g_futex_word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    atomic_store((atomic_uint*)&g_futex_word, 0);
  }
  if (is("semaphore")) {
    while (sem_wait(&g_sem) != 0) {
    }
  }
  if (is("mutex") || is("trylock")) pthread_mutex_unlock(&g_mutex);
  if (is("rwlock-read") || is("rwlock-write")) pthread_rwlock_unlock(&g_rwlock);
  if (is("spinlock")) pthread_spin_unlock(&g_spin);
}

static void* waiter(void* arg) {
  (void)arg;
  for (int i = 0; i < g_rounds; ++i) {
    await_phase(3 * i + 1);
    wait_round();
    atomic_fetch_add(&g_phase, 1); /* done */
  }
  return NULL;
}

static const void* address_of_kind(void) {
  if (is("mutex") || is("trylock") || is("timeout")) return &g_mutex;
  if (is("rwlock-read") || is("rwlock-write")) return &g_rwlock;
  if (is("spinlock")) return (const void*)&g_spin;
  if (is("condition")) return &g_cond;
  if (is("futex")) return &g_futex_word;
  return &g_sem;
}

int main(int argc, char** argv) {
  static const char* kinds[] = {"mutex", "rwlock-read", "rwlock-write", "spinlock", "condition",
                                "futex", "semaphore",   "trylock",      "timeout"};
  g_kind = argc > 1 ? argv[1] : "";
  int known = 0;
  for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); ++i) known |= is(kinds[i]);
  if (!known) {
    fprintf(stderr, "usage: contention_kinds KIND [ROUNDS]\n");
    return 2;
  }
  if (argc > 2) g_rounds = atoi(argv[2]);
  pthread_spin_init(&g_spin, PTHREAD_PROCESS_PRIVATE);
  sem_init(&g_sem, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, waiter, NULL);
  for (int i = 0; i < g_rounds; ++i) {
    hold_round();
    await_phase(3 * i + 3);
  }
  pthread_join(t, NULL);
  printf("%s %p\n", g_kind, address_of_kind());
  if (is("condition")) printf("mutex %p\n", (void*)&g_cond_mutex);
  return 0;
}
