/* Blocked signals, in every way a program blocks them, around futex waits
 * made inside glibc. Under CONTEND_FUTEX=all each of those waits is trapped
 * (SIGSYS): were SIGSYS really blocked, the kernel would kill the process.
 * Every step prints what the program sees; the output must be the same with
 * and without the profiler. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define THREADS 4

static pthread_barrier_t g_barrier;
static pthread_mutex_t g_held = PTHREAD_MUTEX_INITIALIZER;
static sem_t g_never;
static volatile sig_atomic_t g_handled;
static int g_worker_sees[THREADS];
static char g_handler_result[128];

static void pause_ms(int ms) {
  usleep((useconds_t)ms * 1000);
}

static struct timespec in_ms(int ms) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  t.tv_nsec += (long)ms * 1000000L;
  t.tv_sec += t.tv_nsec / 1000000000L;
  t.tv_nsec %= 1000000000L;
  return t;
}

static int blocked(int sig) {
  sigset_t now;
  pthread_sigmask(SIG_BLOCK, NULL, &now);
  return sigismember(&now, sig);
}

/* Futex waits inside glibc: a timed semaphore wait and a timed lock of a
 * mutex another thread holds, both timing out. */
static void handler(int sig) {
  struct timespec t = in_ms(10);
  int sem_rc = sem_timedwait(&g_never, &t);
  int sem_errno = errno;
  t = in_ms(10);
  int lock_rc = pthread_mutex_timedlock(&g_held, &t);
  snprintf(g_handler_result, sizeof g_handler_result, "sig %d: sem %d/%s, lock %s, SIGUSR2 blocked %d", sig,
           sem_rc, strerror(sem_errno), strerror(lock_rc), blocked(SIGUSR2));
  g_handled = 1;
}

static void* holder(void* arg) {
  (void)arg;
  pthread_mutex_lock(&g_held);
  pause_ms(2000);
  pthread_mutex_unlock(&g_held);
  return NULL;
}

/* Worker threads that leave every signal to the main thread. */
static void* blocked_worker(void* arg) {
  long id = (long)arg;
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, NULL);
  int sees = blocked(SIGSYS) && blocked(SIGUSR1) && blocked(SIGTERM);
  for (int round = 0; round < 20; ++round) {
    if (id == round % THREADS) pause_ms(5);
    pthread_barrier_wait(&g_barrier);
    void* p = malloc(3000 + (size_t)id);
    pthread_barrier_wait(&g_barrier);
    free(p);
  }
  g_worker_sees[id] = sees;
  return NULL;
}

static void step_blocked_workers(void) {
  pthread_barrier_init(&g_barrier, NULL, THREADS);
  pthread_t t[THREADS];
  for (long i = 0; i < THREADS; ++i) pthread_create(&t[i], NULL, blocked_worker, (void*)i);
  for (int i = 0; i < THREADS; ++i) pthread_join(t[i], NULL);
  pthread_barrier_destroy(&g_barrier);
  for (int i = 0; i < THREADS; ++i) printf("worker %d: all blocked %d\n", i, g_worker_sees[i]);
}

static void install(int sig, int full_mask) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = handler;
  if (full_mask) sigfillset(&sa.sa_mask);
  sigaction(sig, &sa, NULL);
}

static void run_handler_step(const char* what, int rc, int err) {
  printf("%s: rc %d %s; handler: %s\n", what, rc, rc == 0 ? "-" : strerror(err),
         g_handled ? g_handler_result : "did not run");
  g_handled = 0;
}

static void* send_later(void* arg) {
  pause_ms(50);
  pthread_kill(*(pthread_t*)arg, SIGUSR2);
  return NULL;
}

/* Waits under a temporary mask that blocks everything but SIGUSR2. */
static void step_temporary_masks(void) {
  install(SIGUSR2, 0);
  sigset_t usr2, but_usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &usr2, NULL);
  sigfillset(&but_usr2);
  sigdelset(&but_usr2, SIGUSR2);
  pthread_t self = pthread_self(), sender;
  for (int which = 0; which < 4; ++which) {
    pthread_create(&sender, NULL, send_later, &self);
    int rc = 0;
    const char* name = "";
    if (which == 0) {
      name = "sigsuspend";
      rc = sigsuspend(&but_usr2);
    } else if (which == 1) {
      name = "ppoll";
      struct timespec second = {5, 0};
      rc = ppoll(NULL, 0, &second, &but_usr2);
    } else if (which == 2) {
      name = "pselect";
      struct timespec second = {5, 0};
      rc = pselect(0, NULL, NULL, NULL, &second, &but_usr2);
    } else {
      name = "epoll_pwait";
      int ep = epoll_create1(0);
      struct epoll_event ev;
      rc = epoll_pwait(ep, &ev, 1, 5000, &but_usr2);
      int saved = errno;
      close(ep);
      errno = saved;
    }
    int err = errno;
    pthread_join(sender, NULL);
    run_handler_step(name, rc, err);
  }
  pthread_sigmask(SIG_UNBLOCK, &usr2, NULL);
}

/* glibc blocks every signal while it creates a thread; with an affinity
 * set, the new thread can wait (a futex) for its creator inside that window. */
static void* short_life(void* arg) {
  free(malloc(100));
  return arg;
}

static void step_affinity_threads(void) {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, NULL);
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  CPU_SET(0, &cpus);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setaffinity_np(&attr, sizeof cpus, &cpus);
  int ok = 0;
  for (int i = 0; i < 200; ++i) {
    pthread_t t;
    if (pthread_create(&t, &attr, short_life, NULL) == 0 && pthread_join(t, NULL) == 0) ++ok;
  }
  pthread_attr_destroy(&attr);
  pthread_sigmask(SIG_UNBLOCK, &all, NULL);
  printf("affinity threads created and joined: %d\n", ok);
}

/* What the program asked for is what it reads back. */
static void print_mask(const char* what) {
  sigset_t now;
  pthread_sigmask(SIG_BLOCK, NULL, &now);
  printf("%s: SIGSYS %d SIGUSR1 %d SIGINT %d SIGKILL %d\n", what, sigismember(&now, SIGSYS),
         sigismember(&now, SIGUSR1), sigismember(&now, SIGINT), sigismember(&now, SIGKILL));
}

static ucontext_t g_main_context, g_other_context;
static void other_context(void) {
  print_mask("inside swapcontext");
  swapcontext(&g_other_context, &g_main_context);
}

static void step_views(void) {
  sigset_t set, all, none;
  sigemptyset(&none);
  sigfillset(&all);
  sigemptyset(&set);
  sigaddset(&set, SIGSYS);
  errno = 0;
  int rc = sigprocmask(99, &set, NULL);
  printf("sigprocmask(99): %d %s\n", rc, strerror(errno));
  errno = 0;
  rc = (int)syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4);
  printf("rt_sigprocmask size 4: %d %s\n", rc, strerror(errno));
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = handler;
  errno = 0;
  rc = sigaction(SIGKILL, &sa, NULL);
  printf("sigaction(SIGKILL): %d %s\n", rc, strerror(errno));
  errno = 0;
  rc = (int)syscall(SYS_rt_sigaction, 65, NULL, &old, 8);
  printf("rt_sigaction(65): %d %s\n", rc, strerror(errno));
  sigaction(SIGUSR1, NULL, &old);
  printf("SIGUSR1 sa_mask has SIGSYS %d SIGUSR2 %d\n", sigismember(&old.sa_mask, SIGSYS),
         sigismember(&old.sa_mask, SIGUSR2));
  sigaction(SIGSYS, NULL, &old);
  printf("SIGSYS action default %d\n", old.sa_handler == SIG_DFL);

  pthread_sigmask(SIG_BLOCK, &set, NULL);
  print_mask("SIGSYS blocked");
  pthread_sigmask(SIG_SETMASK, &all, NULL);
  print_mask("all blocked");
  pthread_sigmask(SIG_SETMASK, &none, NULL);
  print_mask("none blocked");

  sigjmp_buf env;
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  if (sigsetjmp(env, 1) == 0) {
    pthread_sigmask(SIG_SETMASK, &none, NULL);
    print_mask("before siglongjmp");
    siglongjmp(env, 1);
  }
  print_mask("after siglongjmp");
  pthread_sigmask(SIG_SETMASK, &none, NULL);

  static char stack[64 * 1024];
  getcontext(&g_other_context);
  g_other_context.uc_stack.ss_sp = stack;
  g_other_context.uc_stack.ss_size = sizeof stack;
  g_other_context.uc_link = NULL;
  sigemptyset(&g_other_context.uc_sigmask);
  sigaddset(&g_other_context.uc_sigmask, SIGSYS);
  sigaddset(&g_other_context.uc_sigmask, SIGINT);
  makecontext(&g_other_context, other_context, 0);
  swapcontext(&g_main_context, &g_other_context);
  print_mask("back from swapcontext");

  pthread_sigmask(SIG_SETMASK, &all, NULL);
  pid_t child = fork();
  if (child == 0) {
    print_mask("forked child");
    pthread_barrier_init(&g_barrier, NULL, 2);
    pthread_t t;
    pthread_create(&t, NULL, short_life, NULL);
    pthread_join(t, NULL);
    fflush(stdout);
    _exit(7);
  }
  int status = 0;
  waitpid(child, &status, 0);
  pthread_sigmask(SIG_SETMASK, &none, NULL);
  printf("child exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status));
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  sem_init(&g_never, 0, 0);
  step_blocked_workers();

  pthread_t h;
  pthread_create(&h, NULL, holder, NULL);
  pause_ms(50);
  /* A handler whose sa_mask blocks everything. */
  install(SIGUSR1, 1);
  raise(SIGUSR1);
  run_handler_step("handler with a full sa_mask", 0, 0);
  step_temporary_masks();
  pthread_join(h, NULL);

  step_affinity_threads();
  step_views();
  return 0;
}
