/* The drain's cost of periodic count snapshots, by hand: THREADS threads
 * each take their own LOCKS mutexes in turn, over and over, for SECONDS
 * (every lock changes between two snapshots: the worst case), or with
 * "idle" once each and then sleep (nothing changes: the cost of looking).
 * Before exiting, reads the CPU time of the recorder's drain thread
 * ("contend-drain") from /proc. Prints
 * "threads T locks L acquisitions A drain_cpu_ms D".
 *
 *   many_locks THREADS LOCKS SECONDS [idle] */
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int g_locks;
static int g_idle;
static atomic_int g_stop;
static atomic_long g_acquisitions;

static void* worker(void* arg) {
  (void)arg;
  pthread_mutex_t* locks = calloc((size_t)g_locks, sizeof(pthread_mutex_t));
  for (int i = 0; i < g_locks; ++i) pthread_mutex_init(&locks[i], NULL);
  long n = 0;
  while (!atomic_load_explicit(&g_stop, memory_order_relaxed)) {
    for (int i = 0; i < g_locks; ++i) {
      pthread_mutex_lock(&locks[i]);
      pthread_mutex_unlock(&locks[i]);
    }
    n += g_locks;
    while (g_idle && !atomic_load_explicit(&g_stop, memory_order_relaxed)) {
      struct timespec ts = {0, 10 * 1000000L};
      nanosleep(&ts, NULL);
    }
  }
  atomic_fetch_add(&g_acquisitions, n);
  return NULL;
}

/* utime + stime of the thread named contend-drain, in ms, or -1. */
static double drain_cpu_ms(void) {
  DIR* d = opendir("/proc/self/task");
  double ms = -1;
  struct dirent* e;
  while (d != NULL && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    char path[128], buf[1024];
    snprintf(path, sizeof path, "/proc/self/task/%s/stat", e->d_name);
    FILE* f = fopen(path, "r");
    if (f == NULL) continue;
    size_t got = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[got] = '\0';
    if (strstr(buf, "(contend-drain)") == NULL) continue;
    char* p = strrchr(buf, ')') + 2;
    unsigned long utime = 0, stime = 0;
    /* state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
    sscanf(p, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime);
    ms = (double)(utime + stime) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
  }
  if (d != NULL) closedir(d);
  return ms;
}

int main(int argc, char** argv) {
  if (argc < 4) return 2;
  int threads = atoi(argv[1]);
  g_locks = atoi(argv[2]);
  double seconds = atof(argv[3]);
  g_idle = argc > 4 && strcmp(argv[4], "idle") == 0;
  pthread_t* t = calloc((size_t)threads, sizeof(pthread_t));
  for (int i = 0; i < threads; ++i) pthread_create(&t[i], NULL, worker, NULL);
  struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
  nanosleep(&ts, NULL);
  atomic_store(&g_stop, 1);
  for (int i = 0; i < threads; ++i) pthread_join(t[i], NULL);
  printf("threads %d locks %d acquisitions %ld drain_cpu_ms %.0f\n", threads, g_locks,
         atomic_load(&g_acquisitions), drain_cpu_ms());
  return 0;
}
