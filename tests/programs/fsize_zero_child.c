// A parent that runs a child under RLIMIT_FSIZE 0 (as sandboxes and judges
// do, so the child writes no file): the child cannot write even a trace
// header. Its output goes to a pipe, which the limit does not cover.
// The child (argv[1] "child") has four threads take one mutex 1000 times each.
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void* worker(void* arg) {
  for (int i = 0; i < 1000; ++i) {
    pthread_mutex_lock(&lock);
    ++counter;
    pthread_mutex_unlock(&lock);
  }
  return arg;
}

int main(int argc, char** argv) {
  pthread_t threads[4];
  for (int i = 0; i < 4; ++i) pthread_create(&threads[i], NULL, worker, NULL);
  for (int i = 0; i < 4; ++i) pthread_join(threads[i], NULL);
  if (argc > 1 && strcmp(argv[1], "child") == 0) {
    printf("child counter %ld\n", counter);
    return 0;
  }
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_FSIZE, &none);
    execl("/proc/self/exe", argv[0], "child", (char*)NULL);
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  printf("parent counter %ld, child exit %d\n", counter, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return 0;
}
