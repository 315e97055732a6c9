/* vfork + execl of /bin/true, COUNT times (argv[1], default 10000). A vfork
 * child shares the parent's memory until it execs: whatever an exec
 * wrapper allocates there is never freed, and the parent's heap grows with
 * every child. Prints the heap in use (mallinfo2) and the program break
 * after a warm-up of 100 children and at the end, and how much each grew. */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* The child never returns from here: it execs or exits. */
static __attribute__((noinline)) pid_t spawn_true(void) {
  pid_t pid = vfork();
  if (pid == 0) {
    execl("/bin/true", "true", (char*)NULL);
    _exit(127);
  }
  return pid;
}

/* An argument list longer than the wrappers' fixed array: sh counts it. */
#define A10 "a", "a", "a", "a", "a", "a", "a", "a", "a", "a"
static int long_list_status(int which) {
  pid_t pid = fork();
  if (pid == 0) {
    char* env[] = {"PATH=/bin:/usr/bin", NULL};
    if (which == 0)
      execl("/bin/sh", "sh", "-c", "exit $#", "sh", A10, A10, A10, A10, A10, A10, A10, (char*)NULL);
    if (which == 1) execlp("sh", "sh", "-c", "exit $#", "sh", A10, A10, A10, A10, A10, A10, A10, (char*)NULL);
    if (which == 2)
      execle("/bin/sh", "sh", "-c", "exit $#", "sh", A10, A10, A10, A10, A10, A10, A10, (char*)NULL, env);
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int run_children(int count) {
  for (int i = 0; i < count; ++i) {
    pid_t pid = spawn_true();
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      printf("child %d failed\n", i);
      return 1;
    }
  }
  return 0;
}

int main(int argc, char** argv) {
  int count = argc > 1 ? atoi(argv[1]) : 10000;
  printf("70 arguments: execl %d execlp %d execle %d\n", long_list_status(0), long_list_status(1),
         long_list_status(2));
  if (run_children(100) != 0) return 1;
  size_t heap_before = mallinfo2().uordblks;
  char* brk_before = sbrk(0);
  if (run_children(count) != 0) return 1;
  size_t heap_after = mallinfo2().uordblks;
  char* brk_after = sbrk(0);
  printf("children %d heap growth %ld bytes brk growth %ld bytes\n", count, (long)(heap_after - heap_before),
         (long)(brk_after - brk_before));
  return 0;
}
