/* main holds the lock 10 ms while a worker waits: one release with a
 * waiter, whose blame is still pending on main when it forks. The child
 * takes the lock once, uncontended, and exits. In the family's traces the
 * blame must appear once (the parent's), the child's trace has none. */
#include "handoff_lib.h"

#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

int main(void) {
  handoff_run(&g_lock, 1, 10);
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    pthread_mutex_lock(&g_lock);
    pthread_mutex_unlock(&g_lock);
    printf("child %d\n", (int)getpid());
    return 0;
  }
  int status = 0;
  waitpid(child, &status, 0);
  printf("parent, child exit %d, lock %p\n", WEXITSTATUS(status), (void*)&g_lock);
  return 0;
}
