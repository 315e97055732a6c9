/* Contention that grows with the thread count in a known way, for the
 * comparison tests (contend sweep, contend-report diff).
 *
 *   scaling_gate [--fixed] [WORKERS [ROUNDS]]   (WORKERS: else $CONTEND_THREADS, else 2)
 *
 * Each round, WORKERS threads pass a gate and then share 160 ms of work
 * (each sleeps 160/WORKERS ms). Planted: the main thread holds g_gate for
 * 30 ms while every worker is blocked on it, then each worker holds it for
 * 10 ms in turn; the round takes about 35 + 10 x WORKERS + 160 / WORKERS ms
 * (with the log handoff), so the speedup peaks at 4 workers (1, 1.5, 1.8,
 * 1.5 for 1, 2, 4, 8) and every worker's acquisition is contended. --fixed: each worker holds its
 * own shard (g_shard[k]) instead, nothing waits. Both: a helper thread
 * blocks on g_log for 5 ms once a round (one contended acquisition).
 * Handshakes are atomics, no pthread calls, so the counts are exact:
 *   planted: g_gate  ROUNDS x (WORKERS + 1) acquisitions, ROUNDS x WORKERS contended;
 *   both:    g_log   2 x ROUNDS acquisitions, ROUNDS contended;
 *   fixed:   g_shard ROUNDS acquisitions per worker, none contended.
 * 100 operations a round; stdout is the same with and without the profiler,
 * the throughput goes to stderr. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { kMaxWorkers = 64, kHoldMs = 30, kPassMs = 10, kWorkMs = 160, kLogMs = 5, kOpsPerRound = 100 };

pthread_mutex_t g_gate = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_log = PTHREAD_MUTEX_INITIALIZER;
struct Shard {
  pthread_mutex_t lock;
  char pad[128 - sizeof(pthread_mutex_t)];
};
struct Shard g_shard[kMaxWorkers];

static int g_workers, g_rounds, g_fixed;
static atomic_int g_round, g_arrived, g_done, g_log_phase;
static atomic_long g_checksum;

static void sleep_us(long us) {
  struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
  nanosleep(&ts, NULL);
}

static void await_value(atomic_int* v, int value) {
  while (atomic_load(v) != value) sleep_us(200);
}

static void pass_gate(int k) {
  pthread_mutex_lock(&g_gate);
  sleep_us(kPassMs * 1000L);
  atomic_fetch_add(&g_checksum, k + 1);
  pthread_mutex_unlock(&g_gate);
}

static void use_shard(int k) {
  pthread_mutex_lock(&g_shard[k].lock);
  sleep_us(kPassMs * 1000L);
  atomic_fetch_add(&g_checksum, k + 1);
  pthread_mutex_unlock(&g_shard[k].lock);
}

static void* worker(void* arg) {
  int k = (int)(long)arg;
  for (int r = 1; r <= g_rounds; ++r) {
    await_value(&g_round, r);
    if (g_fixed) {
      use_shard(k);
    } else {
      atomic_fetch_add(&g_arrived, 1); /* about to block on the gate */
      pass_gate(k);
    }
    sleep_us(kWorkMs * 1000L / g_workers); /* this worker's part of the round's work */
    atomic_fetch_add(&g_done, 1);
  }
  return NULL;
}

static void* log_helper(void* arg) {
  (void)arg;
  for (int r = 0; r < g_rounds; ++r) {
    await_value(&g_log_phase, 3 * r + 1);
    atomic_store(&g_log_phase, 3 * r + 2); /* about to block */
    pthread_mutex_lock(&g_log);
    pthread_mutex_unlock(&g_log);
    atomic_store(&g_log_phase, 3 * r + 3);
  }
  return NULL;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  int arg = 1;
  if (arg < argc && strcmp(argv[arg], "--fixed") == 0) g_fixed = 1, ++arg;
  const char* env = getenv("CONTEND_THREADS");
  g_workers = arg < argc ? atoi(argv[arg++]) : env != NULL ? atoi(env) : 2;
  g_rounds = arg < argc ? atoi(argv[arg++]) : 4;
  if (g_workers < 1 || g_workers > kMaxWorkers || g_rounds < 1) {
    fprintf(stderr, "usage: scaling_gate [--fixed] [WORKERS (1..%d) [ROUNDS]]\n", kMaxWorkers);
    return 2;
  }
  for (int k = 0; k < g_workers; ++k) pthread_mutex_init(&g_shard[k].lock, NULL);
  double start = now_s();
  pthread_t threads[kMaxWorkers], helper;
  for (int k = 0; k < g_workers; ++k) pthread_create(&threads[k], NULL, worker, (void*)(long)k);
  pthread_create(&helper, NULL, log_helper, NULL);
  for (int r = 1; r <= g_rounds; ++r) {
    atomic_store(&g_arrived, 0);
    atomic_store(&g_done, 0);
    if (!g_fixed) pthread_mutex_lock(&g_gate);
    atomic_store(&g_round, r);
    if (!g_fixed) {
      await_value(&g_arrived, g_workers);
      sleep_us(kHoldMs * 1000L);
      pthread_mutex_unlock(&g_gate);
    }
    await_value(&g_done, g_workers);
    pthread_mutex_lock(&g_log);
    atomic_store(&g_log_phase, 3 * (r - 1) + 1);
    await_value(&g_log_phase, 3 * (r - 1) + 2);
    sleep_us(kLogMs * 1000L);
    pthread_mutex_unlock(&g_log);
    await_value(&g_log_phase, 3 * (r - 1) + 3);
  }
  for (int k = 0; k < g_workers; ++k) pthread_join(threads[k], NULL);
  pthread_join(helper, NULL);
  double seconds = now_s() - start;
  long operations = (long)g_rounds * kOpsPerRound;
  printf("scaling_gate: %s, %d workers, %d rounds: operations: %ld, checksum %ld\n",
         g_fixed ? "fixed" : "planted", g_workers, g_rounds, operations, atomic_load(&g_checksum));
  fprintf(stderr, "scaling_gate: %.3f s, throughput: %.1f ops/s\n", seconds, (double)operations / seconds);
  return 0;
}
