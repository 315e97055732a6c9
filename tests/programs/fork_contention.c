/* Parent and child both contend after fork: each process's trace must hold
 * exactly its own counts (parent: lock A 3 rounds; child: lock B 4 rounds),
 * and the parent's pre-fork data must not be duplicated into the child's. */
#include "handoff_lib.h"

#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t g_before = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_parent = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_child = PTHREAD_MUTEX_INITIALIZER;

int main(void) {
  handoff_run(&g_before, 2, 10); /* parent only, before fork */
  /* Held across fork: the child's copy is held too and must unlock fine. */
  pthread_mutex_lock(&g_before);
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    pthread_mutex_unlock(&g_before);
    handoff_run(&g_child, 4, 10);
    printf("child %d done\n", (int)getpid());
    return 0;
  }
  pthread_mutex_unlock(&g_before);
  handoff_run(&g_parent, 3, 10);
  int status = 0;
  waitpid(child, &status, 0);
  printf("parent done, child exit %d\n", WEXITSTATUS(status));
  printf("before %p parent %p child %p\n", (void*)&g_before, (void*)&g_parent, (void*)&g_child);
  return 0;
}
