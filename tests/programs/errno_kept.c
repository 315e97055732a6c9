/* A successful lock call leaves errno alone, whatever the profiler does
 * behind it the first time: the first lock of the process (its first stack,
 * a lock's birth), the first lock of a new thread (the thread attaches),
 * pthread_create (the drain thread starts), the lock after thousands of
 * distinct locks (the thread's lock table grows), and every primitive.
 * errno is set to a sentinel before each call and checked after; each
 * changed errno is printed and the exit code is 1. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define SENTINEL 4242
#define DISTINCT 5000

static int g_changed;

static void check(const char* what, int rc) {
  int e = errno;
  if (rc != 0 || e != SENTINEL) {
    printf("%s: rc=%d errno=%d (expected rc=0 errno=%d)\n", what, rc, e, SENTINEL);
    g_changed = 1;
  }
  errno = SENTINEL;
}

static pthread_mutex_t g_first = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_locks[DISTINCT];
static pthread_rwlock_t g_rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_spinlock_t g_spin;
static sem_t g_sem;
static pthread_mutex_t g_cond_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cond = PTHREAD_COND_INITIALIZER;

static void* fresh_thread(void* arg) {
  (void)arg;
  errno = SENTINEL;
  check("first lock of a new thread", pthread_mutex_lock(&g_first));
  check("its unlock", pthread_mutex_unlock(&g_first));
  pthread_mutex_t local = PTHREAD_MUTEX_INITIALIZER;
  check("a new thread's first new lock", pthread_mutex_lock(&local));
  check("its unlock", pthread_mutex_unlock(&local));
  return NULL;
}

static void* sleeper(void* arg) {
  (void)arg;
  struct timespec ts = {0, 30 * 1000000L};
  nanosleep(&ts, NULL);
  return NULL;
}

int main(void) {
  errno = SENTINEL;
  check("first lock of the process", pthread_mutex_lock(&g_first));
  check("first unlock of the process", pthread_mutex_unlock(&g_first));

  pthread_t t;
  errno = SENTINEL;
  check("pthread_create (the first thread)", pthread_create(&t, NULL, fresh_thread, NULL));
  pthread_join(t, NULL);
  errno = SENTINEL;
  check("pthread_create (another thread)", pthread_create(&t, NULL, sleeper, NULL));

  /* Holds are timed now (two threads): every 16th acquisition is sampled. */
  for (int i = 0; i < DISTINCT; ++i) {
    errno = SENTINEL;
    check("pthread_mutex_init of a distinct lock", pthread_mutex_init(&g_locks[i], NULL));
    check("lock of a distinct lock", pthread_mutex_lock(&g_locks[i]));
    check("its unlock", pthread_mutex_unlock(&g_locks[i]));
  }
  for (int i = 0; i < DISTINCT; i += 7) {
    check("lock again", pthread_mutex_lock(&g_locks[i]));
    check("its unlock", pthread_mutex_unlock(&g_locks[i]));
  }
  pthread_mutex_t after = PTHREAD_MUTEX_INITIALIZER;
  check("first lock after 5000 distinct locks", pthread_mutex_lock(&after));
  check("its unlock", pthread_mutex_unlock(&after));

  for (int i = 0; i < 40; ++i) {
    check("pthread_rwlock_rdlock", pthread_rwlock_rdlock(&g_rw));
    check("pthread_rwlock_unlock (read)", pthread_rwlock_unlock(&g_rw));
    check("pthread_rwlock_wrlock", pthread_rwlock_wrlock(&g_rw));
    check("pthread_rwlock_unlock (write)", pthread_rwlock_unlock(&g_rw));
    check("pthread_rwlock_tryrdlock", pthread_rwlock_tryrdlock(&g_rw));
    check("pthread_rwlock_unlock (try read)", pthread_rwlock_unlock(&g_rw));
  }
  check("pthread_spin_init", pthread_spin_init(&g_spin, PTHREAD_PROCESS_PRIVATE));
  for (int i = 0; i < 40; ++i) {
    check("pthread_spin_lock", pthread_spin_lock(&g_spin));
    check("pthread_spin_unlock", pthread_spin_unlock(&g_spin));
    check("pthread_spin_trylock", pthread_spin_trylock(&g_spin));
    check("pthread_spin_unlock (try)", pthread_spin_unlock(&g_spin));
  }
  check("sem_init", sem_init(&g_sem, 0, 0));
  for (int i = 0; i < 40; ++i) {
    check("sem_post", sem_post(&g_sem));
    check("sem_wait", sem_wait(&g_sem));
    check("sem_post", sem_post(&g_sem));
    check("sem_trywait", sem_trywait(&g_sem));
  }
  for (int i = 0; i < 40; ++i) {
    check("pthread_cond_signal", pthread_cond_signal(&g_cond));
    check("pthread_cond_broadcast", pthread_cond_broadcast(&g_cond));
    check("lock for a condition", pthread_mutex_lock(&g_cond_mutex));
    struct timespec soon;
    clock_gettime(CLOCK_REALTIME, &soon);
    int rc = pthread_cond_timedwait(&g_cond, &g_cond_mutex, &soon);
    check("pthread_cond_timedwait (ETIMEDOUT is its return value)", rc == ETIMEDOUT ? 0 : rc);
    check("unlock after a condition", pthread_mutex_unlock(&g_cond_mutex));
  }
  pthread_join(t, NULL);
  printf("%s\n", g_changed ? "errno changed" : "errno kept");
  return g_changed;
}
