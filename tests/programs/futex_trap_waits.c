/* Waits inside glibc that no hooked function sees, each planted so that
 * exactly 3 threads wait exactly once, for at least 200 ms, on one lock:
 *   arena   glibc's malloc arena lock (run with MALLOC_ARENA_MAX=1): held by
 *           malloc_stats(), which prints while holding it, to a pipe that is
 *           full until the main thread drains it;
 *   barrier pthread_barrier_wait, the fourth thread 300 ms late;
 *   stdio   the lock of stdout, held with flockfile while 3 threads printf;
 *   hooked  a pthread_mutex: the hook records it, the futex wait inside
 *           glibc must not be counted a second time.
 * Prints the address of the lock (where the program can know it). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WAITERS 3

static sem_t g_ready;
static sem_t g_leave[WAITERS];
static pthread_barrier_t g_barrier;
static pthread_mutex_t g_mutex = PTHREAD_MUTEX_INITIALIZER;
static void* g_blocks[WAITERS];

static void pause_ms(int ms) {
  usleep((useconds_t)ms * 1000);
}

/* ---- arena ---- */

static void* arena_holder(void* arg) {
  (void)arg;
  malloc_stats(); /* locks main_arena, then blocks writing to the full pipe */
  return NULL;
}

static void* arena_waiter(void* arg) {
  long i = (long)arg;
  free(malloc(16)); /* this thread's cache and arena, before the wait */
  sem_post(&g_ready);
  pause_ms(100 + 20 * (int)i); /* the holder has the lock by now */
  g_blocks[i] = malloc(4000);  /* too big for the thread cache: the arena */
  sem_wait(&g_leave[i]);       /* exits one at a time: exit frees to the arena too */
  return NULL;
}

static int arena(void) {
  int fds[2];
  if (pipe(fds) != 0) return 1;
  int saved_stderr = dup(2);
  dup2(fds[1], 2);
  fcntl(fds[1], F_SETFL, O_NONBLOCK);
  char fill[4096];
  memset(fill, '.', sizeof fill);
  while (write(fds[1], fill, sizeof fill) > 0) {
  }
  while (write(fds[1], fill, 1) == 1) { /* a full pipe may take a few bytes more */
  }
  fcntl(fds[1], F_SETFL, 0);
  pthread_t waiters[WAITERS], holder;
  for (long i = 0; i < WAITERS; ++i) pthread_create(&waiters[i], NULL, arena_waiter, (void*)i);
  for (int i = 0; i < WAITERS; ++i) sem_wait(&g_ready);
  pthread_create(&holder, NULL, arena_holder, NULL);
  pause_ms(400);
  /* Drain until the holder is done: it prints and lets go. */
  fcntl(fds[0], F_SETFL, O_NONBLOCK);
  char sink[4096];
  for (int quiet = 0; quiet < 50;) {
    if (read(fds[0], sink, sizeof sink) > 0) {
      quiet = 0;
    } else {
      ++quiet;
      pause_ms(2);
    }
  }
  pthread_join(holder, NULL);
  for (int i = 0; i < WAITERS; ++i) {
    sem_post(&g_leave[i]);
    pthread_join(waiters[i], NULL);
  }
  dup2(saved_stderr, 2);
  for (int i = 0; i < WAITERS; ++i) free(g_blocks[i]);
  printf("arena waiters %d\n", WAITERS);
  return 0;
}

/* ---- barrier ---- */

static void* barrier_thread(void* arg) {
  if ((long)arg == 0) pause_ms(300);
  pthread_barrier_wait(&g_barrier);
  return NULL;
}

static int barrier(void) {
  pthread_barrier_init(&g_barrier, NULL, WAITERS + 1);
  printf("barrier %p size %zu\n", (void*)&g_barrier, sizeof g_barrier);
  fflush(stdout);
  pthread_t t[WAITERS + 1];
  for (long i = 0; i <= WAITERS; ++i) pthread_create(&t[i], NULL, barrier_thread, (void*)i);
  for (int i = 0; i <= WAITERS; ++i) pthread_join(t[i], NULL);
  pthread_barrier_destroy(&g_barrier);
  return 0;
}

/* ---- stdio ---- */

static void* stdio_thread(void* arg) {
  sem_post(&g_ready);
  printf("line from thread %ld\n", (long)arg);
  return NULL;
}

static int stdio(void) {
  printf("stdout lock %p\n", (void*)stdout->_lock); /* also sets up the buffer */
  fflush(stdout);
  flockfile(stdout);
  pthread_t t[WAITERS];
  for (long i = 0; i < WAITERS; ++i) pthread_create(&t[i], NULL, stdio_thread, (void*)i);
  for (int i = 0; i < WAITERS; ++i) sem_wait(&g_ready);
  pause_ms(300);
  funlockfile(stdout);
  for (int i = 0; i < WAITERS; ++i) pthread_join(t[i], NULL);
  return 0;
}

/* ---- hooked ---- */

static void* mutex_thread(void* arg) {
  (void)arg;
  sem_post(&g_ready);
  pthread_mutex_lock(&g_mutex);
  pthread_mutex_unlock(&g_mutex);
  return NULL;
}

static int hooked(void) {
  printf("mutex %p\n", (void*)&g_mutex);
  pthread_mutex_lock(&g_mutex);
  pthread_t t[WAITERS];
  for (long i = 0; i < WAITERS; ++i) pthread_create(&t[i], NULL, mutex_thread, NULL);
  for (int i = 0; i < WAITERS; ++i) sem_wait(&g_ready);
  pause_ms(300);
  pthread_mutex_unlock(&g_mutex);
  for (int i = 0; i < WAITERS; ++i) pthread_join(t[i], NULL);
  return 0;
}

int main(int argc, char** argv) {
  sem_init(&g_ready, 0, 0);
  for (int i = 0; i < WAITERS; ++i) sem_init(&g_leave[i], 0, 0);
  const char* mode = argc > 1 ? argv[1] : "";
  if (strcmp(mode, "arena") == 0) return arena();
  if (strcmp(mode, "barrier") == 0) return barrier();
  if (strcmp(mode, "stdio") == 0) return stdio();
  if (strcmp(mode, "hooked") == 0) return hooked();
  fprintf(stderr, "usage: futex_trap_waits arena|barrier|stdio|hooked\n");
  return 2;
}
