/* The side a thread releases: write_side() write-locks the rwlock once
 * while nobody waits; then, ten times, read_side() holds it for reading
 * 5 ms while a writer thread waits. The writer waited for read_side, never
 * for write_side (the release was once charged to the thread's last write
 * acquisition). */
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static pthread_rwlock_t g_lock = PTHREAD_RWLOCK_INITIALIZER;

static void sleep_us(long us) {
  struct timespec ts = {0, us * 1000};
  nanosleep(&ts, NULL);
}

__attribute__((noinline)) void write_side(void) {
  pthread_rwlock_wrlock(&g_lock);
  pthread_rwlock_unlock(&g_lock);
}

static void* writer(void* arg) {
  (void)arg;
  pthread_rwlock_wrlock(&g_lock);
  pthread_rwlock_unlock(&g_lock);
  return NULL;
}

__attribute__((noinline)) void read_side(void) {
  pthread_rwlock_rdlock(&g_lock);
  pthread_t w;
  pthread_create(&w, NULL, writer, NULL);
  sleep_us(5000);  // the writer is waiting by now
  pthread_rwlock_unlock(&g_lock);
  pthread_join(w, NULL);
}

int main(void) {
  write_side();
  for (int i = 0; i < 10; ++i) read_side();
  puts("done");
  return 0;
}
