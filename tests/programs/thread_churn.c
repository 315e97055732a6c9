/* THREADS short-lived threads (default 20000), at most BATCH alive at once,
 * each taking a shared mutex once. Prints the peak resident set size so the
 * test can compare memory with and without the profiler. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static long g_count;

static void* worker(void* arg) {
  (void)arg;
  pthread_mutex_lock(&g_lock);
  ++g_count;
  pthread_mutex_unlock(&g_lock);
  return NULL;
}

static long peak_rss_kib(void) {
  FILE* f = fopen("/proc/self/status", "r");
  char line[256];
  long kib = -1;
  while (f != NULL && fgets(line, sizeof(line), f) != NULL)
    if (strncmp(line, "VmHWM:", 6) == 0) kib = atol(line + 6);
  if (f != NULL) fclose(f);
  return kib;
}

int main(int argc, char** argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 20000;
  int batch = argc > 2 ? atoi(argv[2]) : 8;
  pthread_t ids[64];
  if (batch > 64) batch = 64;
  for (int done = 0; done < threads; done += batch) {
    int n = threads - done < batch ? threads - done : batch;
    for (int i = 0; i < n; ++i) pthread_create(&ids[i], NULL, worker, NULL);
    for (int i = 0; i < n; ++i) pthread_join(ids[i], NULL);
  }
  printf("threads %d count %ld lock %p\n", threads, g_count, (void*)&g_lock);
  fprintf(stderr, "peak_rss_kib %ld\n", peak_rss_kib());
  return 0;
}
