/* Threads created and joined, then calls that only a single-threaded
 * process may make: setns into a mount namespace and unshare of a user
 * namespace (both EINVAL while another thread exists). Prints each result;
 * with or without the profiler it must be the same. Counts: 4/2. */
#define _GNU_SOURCE
#include "handoff_lib.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

static void report(const char* what, int rc) {
  printf("%s %d %s\n", what, rc, rc == 0 ? "ok" : strerror(errno));
}

int main(void) {
  handoff_run(&g_lock, 2, 5); /* its thread is joined when this returns */
  int fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
  report("setns(mnt)", fd < 0 ? -1 : setns(fd, CLONE_NEWNS));
  if (fd >= 0) close(fd);
  report("unshare(user)", unshare(CLONE_NEWUSER));
  printf("lock %p\n", (void*)&g_lock);
  return 0;
}
