/* Every interposed function in the cases that matter, printing return codes
 * and errno. The end-to-end test runs it with and without libcontend.so and
 * requires byte-identical output. No addresses or timings are printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SENTINEL 7777

static void show(const char* what, int rc) {
  printf("%-44s rc=%d errno=%d\n", what, rc, errno);
  errno = SENTINEL;
}

static struct timespec deadline_in(clockid_t clock, long ms) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  ts.tv_nsec += (ms % 1000) * 1000000L;
  ts.tv_sec += ms / 1000 + ts.tv_nsec / 1000000000L;
  ts.tv_nsec %= 1000000000L;
  return ts;
}

static struct timespec past(void) {
  struct timespec ts = {1, 0};
  return ts;
}

static struct timespec bad_nsec(void) {
  struct timespec ts = deadline_in(CLOCK_REALTIME, 10);
  ts.tv_nsec = 2000000000L;
  return ts;
}

/* Holds a lock in another thread until released. */
typedef struct {
  int (*lock)(void*);
  int (*unlock)(void*);
  void* object;
  sem_t held, release;
  pthread_t thread;
} Holder;

static void* holder_main(void* arg) {
  Holder* h = arg;
  h->lock(h->object);
  sem_post(&h->held);
  while (sem_wait(&h->release) != 0) {
  }
  h->unlock(h->object);
  return NULL;
}

static void hold(Holder* h, int (*lock)(void*), int (*unlock)(void*), void* object) {
  h->lock = lock;
  h->unlock = unlock;
  h->object = object;
  sem_init(&h->held, 0, 0);
  sem_init(&h->release, 0, 0);
  pthread_create(&h->thread, NULL, holder_main, h);
  while (sem_wait(&h->held) != 0) {
  }
}

static void let_go(Holder* h) {
  sem_post(&h->release);
  pthread_join(h->thread, NULL);
  sem_destroy(&h->held);
  sem_destroy(&h->release);
  errno = SENTINEL;
}

static int m_lock(void* m) {
  return pthread_mutex_lock(m);
}
static int m_unlock(void* m) {
  return pthread_mutex_unlock(m);
}
static int rd_lock(void* l) {
  return pthread_rwlock_rdlock(l);
}
static int wr_lock(void* l) {
  return pthread_rwlock_wrlock(l);
}
static int rw_unlock(void* l) {
  return pthread_rwlock_unlock(l);
}
static int s_lock(void* l) {
  return pthread_spin_lock(l);
}
static int s_unlock(void* l) {
  return pthread_spin_unlock(l);
}

static void init_mutex(pthread_mutex_t* m, int type, int robust, int protocol, int pshared) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_settype(&a, type);
  pthread_mutexattr_setrobust(&a, robust);
  pthread_mutexattr_setprotocol(&a, protocol);
  pthread_mutexattr_setpshared(&a, pshared);
  show("  pthread_mutex_init", pthread_mutex_init(m, &a));
  pthread_mutexattr_destroy(&a);
}

static void mutex_cases(const char* name, int type, int protocol) {
  printf("== mutex %s\n", name);
  pthread_mutex_t m;
  init_mutex(&m, type, PTHREAD_MUTEX_STALLED, protocol, PTHREAD_PROCESS_PRIVATE);
  show("  lock", pthread_mutex_lock(&m));
  if (type != PTHREAD_MUTEX_NORMAL) show("  lock again (own)", pthread_mutex_lock(&m));
  show("  trylock (own)", pthread_mutex_trylock(&m));
  show("  unlock", pthread_mutex_unlock(&m));
  if (type == PTHREAD_MUTEX_RECURSIVE) {
    show("  unlock level 2", pthread_mutex_unlock(&m));
    show("  unlock level 3", pthread_mutex_unlock(&m));
  }
  if (type != PTHREAD_MUTEX_NORMAL) show("  unlock (not owner)", pthread_mutex_unlock(&m));
  struct timespec ts = deadline_in(CLOCK_REALTIME, 10);
  show("  timedlock (free)", pthread_mutex_timedlock(&m, &ts));
  show("  unlock", pthread_mutex_unlock(&m));
  ts = deadline_in(CLOCK_MONOTONIC, 10);
  show("  clocklock MONOTONIC (free)", pthread_mutex_clocklock(&m, CLOCK_MONOTONIC, &ts));
  show("  unlock", pthread_mutex_unlock(&m));
  show("  clocklock CPUTIME clock (free)", pthread_mutex_clocklock(&m, CLOCK_PROCESS_CPUTIME_ID, &ts));
  Holder h;
  hold(&h, m_lock, m_unlock, &m);
  show("  trylock (held elsewhere)", pthread_mutex_trylock(&m));
  ts = deadline_in(CLOCK_REALTIME, 20);
  show("  timedlock 20ms (held elsewhere)", pthread_mutex_timedlock(&m, &ts));
  ts = past();
  show("  timedlock past deadline (held)", pthread_mutex_timedlock(&m, &ts));
  ts = deadline_in(CLOCK_MONOTONIC, 20);
  show("  clocklock MONOTONIC 20ms (held)", pthread_mutex_clocklock(&m, CLOCK_MONOTONIC, &ts));
  ts = deadline_in(CLOCK_REALTIME, 20);
  show("  clocklock REALTIME 20ms (held)", pthread_mutex_clocklock(&m, CLOCK_REALTIME, &ts));
  ts = bad_nsec();
  show("  timedlock bad tv_nsec (held)", pthread_mutex_timedlock(&m, &ts));
  let_go(&h);
  show("  lock after release", pthread_mutex_lock(&m));
  show("  unlock", pthread_mutex_unlock(&m));
  show("  destroy", pthread_mutex_destroy(&m));
}

static void* die_holding(void* m) {
  pthread_mutex_lock(m);
  return NULL;
}

static void robust_cases(void) {
  printf("== mutex robust\n");
  pthread_mutex_t m;
  init_mutex(&m, PTHREAD_MUTEX_NORMAL, PTHREAD_MUTEX_ROBUST, PTHREAD_PRIO_NONE, PTHREAD_PROCESS_PRIVATE);
  pthread_t t;
  pthread_create(&t, NULL, die_holding, &m);
  pthread_join(t, NULL);
  show("  lock (owner died)", pthread_mutex_lock(&m));
  show("  consistent", pthread_mutex_consistent(&m));
  show("  unlock", pthread_mutex_unlock(&m));
  show("  lock", pthread_mutex_lock(&m));
  show("  unlock", pthread_mutex_unlock(&m));
  pthread_create(&t, NULL, die_holding, &m);
  pthread_join(t, NULL);
  show("  trylock (owner died)", pthread_mutex_trylock(&m));
  show("  unlock without consistent", pthread_mutex_unlock(&m));
  show("  lock (not recoverable)", pthread_mutex_lock(&m));
  show("  trylock (not recoverable)", pthread_mutex_trylock(&m));
  show("  consistent (not owner)", pthread_mutex_consistent(&m));
  show("  destroy", pthread_mutex_destroy(&m));
}

static void pshared_cases(void) {
  printf("== mutex process-shared\n");
  pthread_mutex_t* m = mmap(NULL, sizeof(*m), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  init_mutex(m, PTHREAD_MUTEX_ERRORCHECK, PTHREAD_MUTEX_STALLED, PTHREAD_PRIO_NONE, PTHREAD_PROCESS_SHARED);
  show("  lock", pthread_mutex_lock(m));
  pid_t child = fork();
  if (child == 0) {
    int rc = pthread_mutex_trylock(m); /* held by the parent */
    int rc2 = pthread_mutex_lock(m);   /* waits for the parent */
    pthread_mutex_unlock(m);
    _exit(rc * 16 + rc2);
  }
  usleep(20000);
  show("  unlock (child waiting)", pthread_mutex_unlock(m));
  int status = 0;
  waitpid(child, &status, 0);
  printf("  child: trylock=%d lock=%d\n", WEXITSTATUS(status) / 16, WEXITSTATUS(status) % 16);
  show("  lock after child", pthread_mutex_lock(m));
  show("  unlock", pthread_mutex_unlock(m));
  munmap(m, sizeof(*m));
}

static void rwlock_cases(void) {
  printf("== rwlock\n");
  pthread_rwlock_t l;
  show("  init", pthread_rwlock_init(&l, NULL));
  show("  rdlock", pthread_rwlock_rdlock(&l));
  show("  rdlock again", pthread_rwlock_rdlock(&l));
  show("  tryrdlock", pthread_rwlock_tryrdlock(&l));
  show("  trywrlock (reading)", pthread_rwlock_trywrlock(&l));
  show("  unlock", pthread_rwlock_unlock(&l));
  show("  unlock", pthread_rwlock_unlock(&l));
  show("  unlock", pthread_rwlock_unlock(&l));
  show("  wrlock", pthread_rwlock_wrlock(&l));
  show("  wrlock again (own)", pthread_rwlock_wrlock(&l));
  show("  rdlock (own writer)", pthread_rwlock_rdlock(&l));
  show("  tryrdlock (own writer)", pthread_rwlock_tryrdlock(&l));
  struct timespec ts = deadline_in(CLOCK_REALTIME, 10);
  show("  timedrdlock (own writer)", pthread_rwlock_timedrdlock(&l, &ts));
  show("  unlock", pthread_rwlock_unlock(&l));
  ts = deadline_in(CLOCK_MONOTONIC, 10);
  show("  clockrdlock CPUTIME clock (free)", pthread_rwlock_clockrdlock(&l, CLOCK_PROCESS_CPUTIME_ID, &ts));
  ts = bad_nsec();
  show("  timedwrlock bad tv_nsec (free)", pthread_rwlock_timedwrlock(&l, &ts));
  show("  timedrdlock bad tv_nsec (free)", pthread_rwlock_timedrdlock(&l, &ts));
  Holder h;
  hold(&h, wr_lock, rw_unlock, &l);
  show("  tryrdlock (written elsewhere)", pthread_rwlock_tryrdlock(&l));
  show("  trywrlock (written elsewhere)", pthread_rwlock_trywrlock(&l));
  ts = deadline_in(CLOCK_REALTIME, 20);
  show("  timedrdlock 20ms (written elsewhere)", pthread_rwlock_timedrdlock(&l, &ts));
  ts = deadline_in(CLOCK_MONOTONIC, 20);
  show("  clockwrlock 20ms (written elsewhere)", pthread_rwlock_clockwrlock(&l, CLOCK_MONOTONIC, &ts));
  let_go(&h);
  hold(&h, rd_lock, rw_unlock, &l);
  show("  tryrdlock (read elsewhere)", pthread_rwlock_tryrdlock(&l));
  show("  unlock", pthread_rwlock_unlock(&l));
  ts = deadline_in(CLOCK_REALTIME, 20);
  show("  timedwrlock 20ms (read elsewhere)", pthread_rwlock_timedwrlock(&l, &ts));
  ts = deadline_in(CLOCK_MONOTONIC, 20);
  show("  clockrdlock 20ms (read elsewhere)", pthread_rwlock_clockrdlock(&l, CLOCK_MONOTONIC, &ts));
  show("  unlock", pthread_rwlock_unlock(&l));
  let_go(&h);
  show("  destroy", pthread_rwlock_destroy(&l));
}

static void spin_cases(void) {
  printf("== spinlock\n");
  pthread_spinlock_t s;
  show("  init", pthread_spin_init(&s, PTHREAD_PROCESS_PRIVATE));
  show("  lock", pthread_spin_lock(&s));
  show("  trylock (held)", pthread_spin_trylock(&s));
  show("  unlock", pthread_spin_unlock(&s));
  show("  trylock", pthread_spin_trylock(&s));
  show("  unlock", pthread_spin_unlock(&s));
  Holder h;
  hold(&h, s_lock, s_unlock, (void*)&s);
  show("  trylock (held elsewhere)", pthread_spin_trylock(&s));
  let_go(&h);
  show("  destroy", pthread_spin_destroy(&s));
}

static pthread_mutex_t g_cm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cv = PTHREAD_COND_INITIALIZER;
static int g_ready;

static void* signaller(void* arg) {
  (void)arg;
  usleep(20000);
  pthread_mutex_lock(&g_cm);
  g_ready = 1;
  pthread_cond_signal(&g_cv);
  pthread_mutex_unlock(&g_cm);
  return NULL;
}

static void cond_cases(void) {
  printf("== condition variable\n");
  pthread_mutex_lock(&g_cm);
  struct timespec ts = past();
  show("  timedwait past deadline", pthread_cond_timedwait(&g_cv, &g_cm, &ts));
  ts = deadline_in(CLOCK_REALTIME, 20);
  show("  timedwait 20ms", pthread_cond_timedwait(&g_cv, &g_cm, &ts));
  ts = deadline_in(CLOCK_MONOTONIC, 20);
  show("  clockwait MONOTONIC 20ms", pthread_cond_clockwait(&g_cv, &g_cm, CLOCK_MONOTONIC, &ts));
  show("  clockwait CPUTIME clock", pthread_cond_clockwait(&g_cv, &g_cm, CLOCK_PROCESS_CPUTIME_ID, &ts));
  ts = bad_nsec();
  show("  timedwait bad tv_nsec", pthread_cond_timedwait(&g_cv, &g_cm, &ts));
  pthread_t t;
  pthread_create(&t, NULL, signaller, NULL);
  int rc = 0;
  while (!g_ready && rc == 0) rc = pthread_cond_wait(&g_cv, &g_cm);
  show("  wait until signalled", rc);
  pthread_mutex_unlock(&g_cm);
  pthread_join(t, NULL);
  errno = SENTINEL;
  show("  signal (no waiter)", pthread_cond_signal(&g_cv));
  show("  broadcast (no waiter)", pthread_cond_broadcast(&g_cv));
  pthread_mutex_t ec;
  init_mutex(&ec, PTHREAD_MUTEX_ERRORCHECK, PTHREAD_MUTEX_STALLED, PTHREAD_PRIO_NONE,
             PTHREAD_PROCESS_PRIVATE);
  ts = deadline_in(CLOCK_REALTIME, 10);
  show("  timedwait, mutex not owned (errorcheck)", pthread_cond_timedwait(&g_cv, &ec, &ts));
  pthread_mutex_destroy(&ec);
}

static void sem_cases(void) {
  printf("== semaphore\n");
  sem_t s;
  show("  init 0", sem_init(&s, 0, 0));
  show("  trywait (0)", sem_trywait(&s));
  show("  post", sem_post(&s));
  show("  trywait (1)", sem_trywait(&s));
  struct timespec ts = past();
  show("  timedwait past deadline (0)", sem_timedwait(&s, &ts));
  ts = deadline_in(CLOCK_REALTIME, 20);
  show("  timedwait 20ms (0)", sem_timedwait(&s, &ts));
  ts = deadline_in(CLOCK_MONOTONIC, 20);
  show("  clockwait MONOTONIC 20ms (0)", sem_clockwait(&s, CLOCK_MONOTONIC, &ts));
  show("  post", sem_post(&s));
  ts = bad_nsec();
  show("  timedwait bad tv_nsec (1)", sem_timedwait(&s, &ts));
  show("  clockwait CPUTIME clock (1)", sem_clockwait(&s, CLOCK_PROCESS_CPUTIME_ID, &ts));
  show("  wait (1)", sem_wait(&s));
  show("  post", sem_post(&s));
  ts = deadline_in(CLOCK_REALTIME, 20);
  show("  timedwait (1)", sem_timedwait(&s, &ts));
  int value = -1;
  sem_getvalue(&s, &value);
  printf("  value %d\n", value);
  show("  destroy", sem_destroy(&s));
}

static void futex_cases(void) {
  printf("== futex via syscall()\n");
  uint32_t word = 1;
  show("  FUTEX_WAIT value mismatch", (int)syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
  struct timespec rel = {0, 20000000L};
  show("  FUTEX_WAIT 20ms timeout", (int)syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 1, &rel, NULL, 0));
  struct timespec abs_past = {1, 0};
  show("  FUTEX_WAIT_BITSET past deadline",
       (int)syscall(SYS_futex, &word, FUTEX_WAIT_BITSET_PRIVATE, 1, &abs_past, NULL, FUTEX_BITSET_MATCH_ANY));
  show("  FUTEX_WAIT_BITSET zero bitset",
       (int)syscall(SYS_futex, &word, FUTEX_WAIT_BITSET_PRIVATE, 1, &abs_past, NULL, 0));
  show("  FUTEX_WAKE", (int)syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
  show("  bad futex op", (int)syscall(SYS_futex, &word, 99, 0, NULL, NULL, 0));
  printf("  getpid matches: %d\n", syscall(SYS_getpid) == getpid());
  show("  SYS_getppid", syscall(SYS_getppid) == getppid() ? 0 : -2);
  show("  bad syscall number", (int)syscall(-5));
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  errno = SENTINEL;
  mutex_cases("normal", PTHREAD_MUTEX_NORMAL, PTHREAD_PRIO_NONE);
  mutex_cases("error-checking", PTHREAD_MUTEX_ERRORCHECK, PTHREAD_PRIO_NONE);
  mutex_cases("recursive", PTHREAD_MUTEX_RECURSIVE, PTHREAD_PRIO_NONE);
  mutex_cases("priority-inheritance", PTHREAD_MUTEX_NORMAL, PTHREAD_PRIO_INHERIT);
  mutex_cases("priority-inheritance error-checking", PTHREAD_MUTEX_ERRORCHECK, PTHREAD_PRIO_INHERIT);
  robust_cases();
  pshared_cases();
  rwlock_cases();
  spin_cases();
  cond_cases();
  sem_cases();
  futex_cases();
  printf("done\n");
  return 0;
}
