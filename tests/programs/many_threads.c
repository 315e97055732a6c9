/* THREADS threads, all alive at once: they start together (a barrier), each
 * takes one shared mutex ITERATIONS times around a counter, then waits at a
 * second barrier until every thread has finished: exact acquisition counts
 * with many threads (1000 alive) or many threads on one lock (64).
 *
 *   many_threads THREADS ITERATIONS */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t g_all_started, g_all_done;
static long g_counter;
static int g_iterations;

static void* worker(void* arg) {
  (void)arg;
  pthread_barrier_wait(&g_all_started);
  for (int i = 0; i < g_iterations; ++i) {
    pthread_mutex_lock(&g_lock);
    ++g_counter;
    pthread_mutex_unlock(&g_lock);
  }
  pthread_barrier_wait(&g_all_done);
  return NULL;
}

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  int n = atoi(argv[1]);
  g_iterations = atoi(argv[2]);
  if (n < 1 || g_iterations < 0) return 2;
  pthread_t* threads = calloc((size_t)n, sizeof *threads);
  pthread_barrier_init(&g_all_started, NULL, (unsigned)n);
  pthread_barrier_init(&g_all_done, NULL, (unsigned)n);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 64 * 1024);
  for (int i = 0; i < n; ++i)
    if (pthread_create(&threads[i], &attr, worker, NULL) != 0) return 1;
  for (int i = 0; i < n; ++i) pthread_join(threads[i], NULL);
  printf("threads %d counter %ld lock %p\n", n, g_counter, (void*)&g_lock);
  free(threads);
  return 0;
}
