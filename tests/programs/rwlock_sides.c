/* Blame by waiting side on one reader-writer lock: a reader waits while
 * write_all() holds it (20 ms), then a writer waits while read_all() holds
 * it (20 ms). The read side's holders are the writer, the write side's the
 * reader. (Holder and waiter are other threads in each phase, and the
 * reader never writes: the recorder names a release by its thread's last
 * acquisition of the lock, write side first.) Prints "rwlock <address>". */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

static pthread_rwlock_t g_rw = PTHREAD_RWLOCK_INITIALIZER;
static atomic_int g_phase;

static void sleep_ms(long ms) {
  struct timespec ts = {0, ms * 1000000L};
  nanosleep(&ts, NULL);
}

static void await_phase(int value) {
  while (atomic_load(&g_phase) != value) {
    struct timespec ts = {0, 20000};
    nanosleep(&ts, NULL);
  }
}

__attribute__((noinline)) static void write_all(void) {
  pthread_rwlock_wrlock(&g_rw);
  atomic_store(&g_phase, 1);
  await_phase(2);
  sleep_ms(20);
  pthread_rwlock_unlock(&g_rw);
}

__attribute__((noinline)) static void read_all(void) {
  pthread_rwlock_rdlock(&g_rw);
  atomic_store(&g_phase, 3);
  await_phase(4);
  sleep_ms(20);
  pthread_rwlock_unlock(&g_rw);
}

__attribute__((noinline)) static void read_one(void) {
  pthread_rwlock_rdlock(&g_rw);
  pthread_rwlock_unlock(&g_rw);
}

__attribute__((noinline)) static void write_one(void) {
  pthread_rwlock_wrlock(&g_rw);
  pthread_rwlock_unlock(&g_rw);
}

static void* reader_waiting(void* arg) {
  (void)arg;
  await_phase(1);
  atomic_store(&g_phase, 2); /* about to block behind the writer */
  read_one();
  return NULL;
}

static void* reader_holding(void* arg) {
  (void)arg;
  read_all();
  return NULL;
}

int main(void) {
  pthread_t r1, r2;
  pthread_create(&r1, NULL, reader_waiting, NULL);
  write_all();
  pthread_join(r1, NULL);
  pthread_create(&r2, NULL, reader_holding, NULL);
  await_phase(3);
  atomic_store(&g_phase, 4); /* about to block behind the reader */
  write_one();
  pthread_join(r2, NULL);
  printf("rwlock %p\n", (void*)&g_rw);
  return 0;
}
