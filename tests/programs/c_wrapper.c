/* Call sites behind a C lock wrapper: take() only locks (and checks the
 * result), and alpha(), beta() and gamma() each wait in it once; bump()
 * locks, counts and unlocks (a critical section, not a wrapper), and
 * delta() and epsilon() each wait in it once. The holder is the main
 * thread, which keeps the lock 20 ms while the waiter is blocked. Prints
 * "pool <address>" and "count <address>". */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct pool {
  pthread_mutex_t mutex;
  long items;
};

static struct pool g_pool = {PTHREAD_MUTEX_INITIALIZER, 0};
static pthread_mutex_t g_count_lock = PTHREAD_MUTEX_INITIALIZER;
static long g_count;
static atomic_int g_phase;
static volatile int g_calls; /* keeps bump() a call, not a tail jump */

__attribute__((noinline)) static void take(struct pool* p) {
  if (pthread_mutex_lock(&p->mutex) != 0) abort();
}

__attribute__((noinline)) static void give(struct pool* p) {
  if (pthread_mutex_unlock(&p->mutex) != 0) abort();
}

__attribute__((noinline)) static void bump(void) {
  pthread_mutex_lock(&g_count_lock);
  ++g_count;
  pthread_mutex_unlock(&g_count_lock);
}

__attribute__((noinline)) static void alpha(void) {
  take(&g_pool);
  g_pool.items += 1;
  give(&g_pool);
}

__attribute__((noinline)) static void beta(void) {
  take(&g_pool);
  g_pool.items += 2;
  give(&g_pool);
}

__attribute__((noinline)) static void gamma_(void) {
  take(&g_pool);
  g_pool.items += 3;
  give(&g_pool);
}

__attribute__((noinline)) static void delta(void) {
  bump();
  ++g_calls;
}

__attribute__((noinline)) static void epsilon(void) {
  bump();
  ++g_calls;
}

static void (*const g_waits[])(void) = {alpha, beta, gamma_, delta, epsilon};
enum { kRounds = sizeof(g_waits) / sizeof(g_waits[0]) };

static void await_phase(int value) {
  while (atomic_load(&g_phase) != value) {
    struct timespec ts = {0, 20000};
    nanosleep(&ts, NULL);
  }
}

static void* waiter(void* arg) {
  (void)arg;
  for (int i = 0; i < kRounds; ++i) {
    await_phase(3 * i + 1);
    atomic_store(&g_phase, 3 * i + 2); /* about to block */
    g_waits[i]();
    atomic_store(&g_phase, 3 * i + 3);
  }
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, waiter, NULL);
  for (int i = 0; i < kRounds; ++i) {
    pthread_mutex_t* lock = i < 3 ? &g_pool.mutex : &g_count_lock;
    pthread_mutex_lock(lock);
    atomic_store(&g_phase, 3 * i + 1);
    await_phase(3 * i + 2);
    struct timespec hold = {0, 20 * 1000000L};
    nanosleep(&hold, NULL);
    pthread_mutex_unlock(lock);
    await_phase(3 * i + 3);
  }
  pthread_join(t, NULL);
  printf("pool %p\ncount %p\n", (void*)&g_pool.mutex, (void*)&g_count_lock);
  return g_pool.items == 6 && g_count == 2 ? 0 : 1;
}
