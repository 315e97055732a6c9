/* A program with a SIGSYS handler and a seccomp filter of its own: under
 * CONTEND_FUTEX=all the profiler's handler owns SIGSYS, and everything that
 * is not its trap must reach the program as the program's action says. The
 * output must be the same with and without the profiler. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static volatile int g_calls;
static volatile int g_last_code;
static volatile int g_last_syscall;

static void on_sigsys(int sig, siginfo_t* info, void* context) {
  (void)sig;
  ++g_calls;
  g_last_code = info->si_code;
  g_last_syscall = info->si_code == 1 /* SYS_SECCOMP */ ? info->si_syscall : -1;
  if (info->si_code == 1) ((ucontext_t*)context)->uc_mcontext.gregs[REG_RAX] = 4242; /* emulated */
}

static void report(const char* what) {
  printf("%s: handler calls %d, last code %d, syscall %d\n", what, g_calls, g_last_code, g_last_syscall);
}

/* The program's own filter: getpgid is emulated by its handler (TRAP),
 * getsid fails with EPERM, the rest is allowed. (Calls the recorder never
 * makes: a filter that traps the recorder's own calls is another matter.) */
static int install_own_filter(void) {
  struct sock_filter f[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getpgid, 2, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getsid, 2, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP | 7),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
  };
  struct sock_fprog prog = {sizeof f / sizeof f[0], f};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
  return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

static pthread_barrier_t g_barrier;
static void* contender(void* arg) {
  for (int i = 0; i < 50; ++i) {
    if ((long)arg == i % 3) usleep(2000);
    pthread_barrier_wait(&g_barrier);
  }
  return NULL;
}

static void contend_a_little(void) {
  pthread_barrier_init(&g_barrier, NULL, 3);
  pthread_t t[3];
  for (long i = 0; i < 3; ++i) pthread_create(&t[i], NULL, contender, (void*)i);
  for (int i = 0; i < 3; ++i) pthread_join(t[i], NULL);
  pthread_barrier_destroy(&g_barrier);
}

static int child_status(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigsys;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSYS, &sa, NULL);
  sigaction(SIGSYS, NULL, &old);
  printf("own handler read back %d, flags SA_SIGINFO %d\n", old.sa_sigaction == on_sigsys,
         (old.sa_flags & SA_SIGINFO) != 0);

  raise(SIGSYS);
  report("raise");

  /* posix_spawn (system() uses it) runs its child in our memory, and that
   * child resets every handler it finds to the default before exec: the
   * parent's handler must still be there afterwards. */
  printf("system: %d\n", system("exit 3") >> 8);
  raise(SIGSYS);
  report("raise after system()");

  /* Blocked: stays pending, delivered when unblocked. */
  sigset_t sys;
  sigemptyset(&sys);
  sigaddset(&sys, SIGSYS);
  pthread_sigmask(SIG_BLOCK, &sys, NULL);
  raise(SIGSYS);
  report("raise while blocked");
  pthread_sigmask(SIG_UNBLOCK, &sys, NULL);
  report("after unblocking");

  contend_a_little();
  printf("own filter installed: %d\n", install_own_filter());
  errno = 0;
  long pgid = syscall(SYS_getpgid, 0);
  report("getpgid trapped by the program's filter");
  printf("getpgid returned %ld\n", pgid);
  errno = 0;
  long sid = syscall(SYS_getsid, 0);
  printf("getsid: %ld %s\n", sid, strerror(errno));
  contend_a_little(); /* after the program's filter too */
  printf("contention done\n");

  /* Ignored: a raised SIGSYS does nothing. */
  sa.sa_handler = SIG_IGN;
  sa.sa_flags = 0;
  sigaction(SIGSYS, &sa, NULL);
  raise(SIGSYS);
  report("raise while ignored");

  /* The default action kills, by SIGSYS. */
  pid_t pid = fork();
  if (pid == 0) {
    signal(SIGSYS, SIG_DFL);
    raise(SIGSYS);
    _exit(0);
  }
  printf("child raising SIGSYS under SIG_DFL: %d\n", child_status(pid));

  /* The program's own filter traps while its handler is ignored, or while
   * SIGSYS is blocked: the kernel kills. */
  pid = fork();
  if (pid == 0) {
    syscall(SYS_getpgid, 0);
    _exit(0);
  }
  printf("child trapped by its filter with SIGSYS ignored: %d\n", child_status(pid));
  pid = fork();
  if (pid == 0) {
    sa.sa_sigaction = on_sigsys;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSYS, &sa, NULL);
    pthread_sigmask(SIG_BLOCK, &sys, NULL);
    syscall(SYS_getpgid, 0);
    _exit(0);
  }
  printf("child trapped by its filter with SIGSYS blocked: %d\n", child_status(pid));

  /* SA_RESETHAND: the handler runs once, then the default action. */
  pid = fork();
  if (pid == 0) {
    sa.sa_sigaction = on_sigsys;
    sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
    sigaction(SIGSYS, &sa, NULL);
    raise(SIGSYS);
    printf("child: SA_RESETHAND handler calls %d\n", g_calls);
    fflush(stdout);
    raise(SIGSYS);
    _exit(0);
  }
  printf("child with SA_RESETHAND: %d\n", child_status(pid));
  return 0;
}
