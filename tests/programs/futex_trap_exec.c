/* exec under CONTEND_FUTEX=all: the seccomp filter stays with the process
 * through exec and cannot be removed, so the programs it execs must run as
 * without it: a static binary (which never loads the profiler) and, with
 * CONTEND_CHILDREN=0, a dynamic one that does not either. Each child
 * contends on glibc's futexes with every signal blocked.
 *   futex_trap_exec parent STATIC_BINARY   execs STATIC_BINARY and itself
 *   futex_trap_exec child                  the contention, then "child ok" */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

#define THREADS 4
static pthread_barrier_t g_barrier;

static void* worker(void* arg) {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, NULL);
  for (int round = 0; round < 30; ++round) {
    if ((long)arg == round % THREADS) usleep(1000);
    pthread_barrier_wait(&g_barrier);
    free(malloc(2000 + (size_t)round));
  }
  return NULL;
}

static int child(const char* who) {
  pthread_barrier_init(&g_barrier, NULL, THREADS);
  pthread_t t[THREADS];
  for (long i = 0; i < THREADS; ++i) pthread_create(&t[i], NULL, worker, (void*)i);
  for (int i = 0; i < THREADS; ++i) pthread_join(t[i], NULL);
  printf("%s child ok\n", who);
  return 0;
}

static int status_of(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

static int run_exec(const char* path, const char* who) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    execl(path, path, "child", who, (char*)NULL);
    _exit(127);
  }
  return status_of(pid);
}

int main(int argc, char** argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc > 1 && strcmp(argv[1], "child") == 0) return child(argc > 2 ? argv[2] : "dynamic");
  if (argc < 3 || strcmp(argv[1], "parent") != 0) {
    fprintf(stderr, "usage: futex_trap_exec parent STATIC_BINARY | child\n");
    return 2;
  }
  child("parent's own");
  printf("exec static: %d\n", run_exec(argv[2], "static"));
  printf("exec self: %d\n", run_exec("/proc/self/exe", "dynamic"));
  pid_t pid;
  char* spawn_argv[] = {argv[2], "child", "spawned", NULL};
  fflush(stdout);
  int rc = posix_spawn(&pid, argv[2], NULL, NULL, spawn_argv, environ);
  printf("posix_spawn static: %d %d\n", rc, rc == 0 ? status_of(pid) : -1);
  printf("system: %d\n", WEXITSTATUS(system("echo shell ok")));
  return 0;
}
