/* Calls given addresses the kernel or glibc reject, or never read: the
 * profiler must answer exactly as the real functions do and must not crash
 * where they do not. Futex calls on NULL, unmapped and inaccessible words
 * (the kernel says EFAULT); timed mutex locks of a free mutex with a timeout
 * pointer that is bad (glibc never reads it when the mutex is free). Prints
 * each result; the end-to-end test compares with the plain run. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef FUTEX_LOCK_PI2
#define FUTEX_LOCK_PI2 13
#endif

static void futex_call(const char* what, void* word, long op) {
  errno = 0;
  /* val 1: a readable word (0) makes the waits return EAGAIN, never block */
  long rc = syscall(SYS_futex, word, op, 1, NULL, NULL, 0);
  int e = errno;
  printf("%-40s rc=%ld errno=%d\n", what, rc, e);
}

static void mutex_kinds(const char* what, const struct timespec* abstime) {
  static const int types[] = {PTHREAD_MUTEX_NORMAL, PTHREAD_MUTEX_RECURSIVE, PTHREAD_MUTEX_ERRORCHECK};
  for (int robust = 0; robust < 2; ++robust) {
    for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); ++i) {
      pthread_mutexattr_t a;
      pthread_mutexattr_init(&a);
      pthread_mutexattr_settype(&a, types[i]);
      if (robust) pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
      pthread_mutex_t m;
      pthread_mutex_init(&m, &a);
      int t = pthread_mutex_timedlock(&m, abstime);
      if (t == 0) pthread_mutex_unlock(&m);
      int c = pthread_mutex_clocklock(&m, CLOCK_MONOTONIC, abstime);
      if (c == 0) pthread_mutex_unlock(&m);
      int bad_clock = pthread_mutex_clocklock(&m, 12345, abstime);
      if (bad_clock == 0) pthread_mutex_unlock(&m);
      printf("%-24s type %d robust %d: timedlock %d clocklock %d bad clock %d\n", what, types[i], robust, t,
             c, bad_clock);
      pthread_mutex_destroy(&m);
    }
  }
}

/* NULL lock objects: glibc crashes on every one of these; so must we, and
 * not otherwise (run one per process: argv[1]). */
static void* volatile g_null; /* NULL the compiler cannot see */

static int null_object(const char* which) {
  void* null = g_null;
  const struct timespec* no_time = g_null;
  if (strcmp(which, "mutex_lock") == 0) return pthread_mutex_lock(null);
  if (strcmp(which, "mutex_unlock") == 0) return pthread_mutex_unlock(null);
  if (strcmp(which, "mutex_timedlock") == 0) return pthread_mutex_timedlock(null, no_time);
  if (strcmp(which, "rwlock_rdlock") == 0) return pthread_rwlock_rdlock(null);
  if (strcmp(which, "rwlock_unlock") == 0) return pthread_rwlock_unlock(null);
  if (strcmp(which, "spin_lock") == 0) return pthread_spin_lock(null);
  if (strcmp(which, "sem_wait") == 0) return sem_wait(null);
  if (strcmp(which, "sem_post") == 0) return sem_post(null);
  if (strcmp(which, "cond_signal") == 0) return pthread_cond_signal(null);
  return -1;
}

int main(int argc, char** argv) {
  if (argc > 1) return null_object(argv[1]);
  /* The kernel's half: never a user mapping (an munmap'd page could be
   * mapped again by the time it is used). */
  void* gone = (void*)0xffff800000000000ull;
  void* no_access = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  void* read_only = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  struct {
    const char* name;
    void* word;
  } words[] = {{"NULL", NULL}, {"unmapped", gone}, {"no access", no_access}, {"read-only", read_only}};
  struct {
    const char* name;
    long op;
  } ops[] = {{"LOCK_PI", FUTEX_LOCK_PI},         {"LOCK_PI private", FUTEX_LOCK_PI_PRIVATE},
             {"LOCK_PI2", FUTEX_LOCK_PI2},       {"WAIT", FUTEX_WAIT},
             {"WAIT_BITSET", FUTEX_WAIT_BITSET}, {"WAKE", FUTEX_WAKE},
             {"UNLOCK_PI", FUTEX_UNLOCK_PI},     {"WAIT_REQUEUE_PI", FUTEX_WAIT_REQUEUE_PI}};
  for (unsigned w = 0; w < sizeof(words) / sizeof(words[0]); ++w) {
    for (unsigned o = 0; o < sizeof(ops) / sizeof(ops[0]); ++o) {
      char what[64];
      snprintf(what, sizeof(what), "%s on %s", ops[o].name, words[w].name);
      futex_call(what, words[w].word, ops[o].op);
    }
  }
  struct timespec bad_nsec = {0, 2000000000L};
  mutex_kinds("bad tv_nsec", &bad_nsec);
  mutex_kinds("NULL timeout", NULL);
  mutex_kinds("timeout at address 16", (const struct timespec*)(uintptr_t)16);
  mutex_kinds("unmapped timeout", (const struct timespec*)gone);
  printf("done\n");
  return 0;
}
