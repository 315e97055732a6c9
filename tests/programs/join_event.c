/* Events and locks made of semaphores, as CPython makes them:
 *   join_event join   a thread holds its own "state lock" (a semaphore taken
 *                     at its start) for 30 ms of work and posts it as it
 *                     ends; the main thread joins by waiting on it, then
 *                     posts it back (Python's Thread.join)
 *   join_event lock   a semaphore used as a lock by two threads, each
 *                     waiting once while the other holds it 20 ms
 * Prints "<mode> <address>". */
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static sem_t g_sem;
static atomic_int g_phase;

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static void await_phase(int value) {
  while (atomic_load(&g_phase) != value) {
    struct timespec ts = {0, 20000};
    nanosleep(&ts, NULL);
  }
}

static void* worker(void* arg) {
  (void)arg;
  sem_wait(&g_sem); /* its state lock, free: taken at once */
  atomic_store(&g_phase, 1);
  await_phase(2); /* the joiner is about to block */
  sleep_ms(30);
  sem_post(&g_sem); /* ends: the joiner goes on */
  return NULL;
}

static void* other_locker(void* arg) {
  (void)arg;
  await_phase(1);
  atomic_store(&g_phase, 2); /* about to block */
  sem_wait(&g_sem);
  sleep_ms(20);
  atomic_store(&g_phase, 3);
  await_phase(4); /* the main thread is about to block */
  sleep_ms(20);
  sem_post(&g_sem);
  return NULL;
}

int main(int argc, char** argv) {
  int join = argc > 1 && strcmp(argv[1], "join") == 0;
  int lock = argc > 1 && strcmp(argv[1], "lock") == 0;
  if (!join && !lock) {
    fprintf(stderr, "usage: join_event join|lock\n");
    return 2;
  }
  sem_init(&g_sem, 0, 1);
  pthread_t t;
  if (join) {
    pthread_create(&t, NULL, worker, NULL);
    await_phase(1);
    atomic_store(&g_phase, 2);
    sem_wait(&g_sem); /* join */
    sem_post(&g_sem);
  } else {
    pthread_create(&t, NULL, other_locker, NULL);
    sem_wait(&g_sem);
    atomic_store(&g_phase, 1);
    await_phase(2);
    sleep_ms(20);
    sem_post(&g_sem); /* the other thread takes it */
    await_phase(3);
    atomic_store(&g_phase, 4);
    sem_wait(&g_sem); /* waits for the other thread */
    sem_post(&g_sem);
  }
  pthread_join(t, NULL);
  printf("%s %p\n", join ? "join" : "lock", (void*)&g_sem);
  return 0;
}
