/* Who made us wait: long_holder() keeps the lock 5 ms at a time, brief()
 * only for a moment, and a waiter thread keeps asking for it. The report
 * must name long_holder as the cause of the waiting. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int g_done;

static void sleep_us(long us) {
  struct timespec ts = {0, us * 1000};
  nanosleep(&ts, NULL);
}

__attribute__((noinline)) void long_holder(void) {
  pthread_mutex_lock(&g_lock);
  sleep_us(5000);
  pthread_mutex_unlock(&g_lock);
}

__attribute__((noinline)) void brief(void) {
  pthread_mutex_lock(&g_lock);
  pthread_mutex_unlock(&g_lock);
}

static void* holder(void* arg) {
  (void)arg;
  for (int i = 0; i < 30; ++i) {
    long_holder();
    sleep_us(1000);
  }
  atomic_store(&g_done, 1);
  return NULL;
}

static void* waiter(void* arg) {
  (void)arg;
  while (!atomic_load(&g_done)) {
    brief();
    sleep_us(200);
  }
  return NULL;
}

int main(void) {
  pthread_t h, w;
  pthread_create(&h, NULL, holder, NULL);
  pthread_create(&w, NULL, waiter, NULL);
  pthread_join(h, NULL);
  pthread_join(w, NULL);
  printf("lock %p\n", (void*)&g_lock);
  return 0;
}
