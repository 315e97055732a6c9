/* The parent (forked from a library constructor, ctor_fork_lib.c) takes
 * its lock 5 more times (6 in all); the child takes it 3 times and takes
 * 20000 other mutexes once each, enough births to make its drain write.
 * Prints the lock's address and the child's pid. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern pthread_mutex_t g_ctor_fork_lock;
extern pid_t g_ctor_fork_child;

enum { kChildLocks = 20000 };

int main(void) {
  int n = g_ctor_fork_child == 0 ? 3 : 5;
  for (int i = 0; i < n; ++i) {
    pthread_mutex_lock(&g_ctor_fork_lock);
    pthread_mutex_unlock(&g_ctor_fork_lock);
  }
  if (g_ctor_fork_child == 0) {
    pthread_mutex_t* many = calloc(kChildLocks, sizeof *many);
    for (int i = 0; i < kChildLocks; ++i) {
      pthread_mutex_lock(&many[i]);
      pthread_mutex_unlock(&many[i]);
    }
    usleep(200 * 1000);  // time for a drain of the child's to write
    return 0;
  }
  if (g_ctor_fork_child < 0) return 2;
  int status = 0;
  waitpid(g_ctor_fork_child, &status, 0);
  printf("lock at %p, child %d exited %d\n", (void*)&g_ctor_fork_lock, (int)g_ctor_fork_child,
         WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return 0;
}
