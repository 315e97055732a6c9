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

/* A joined thread is still ending in the kernel for a moment (its tid is
 * cleared, which ends the join, before it lets go of the rest), and setns
 * fails meanwhile, with or without the profiler: waits until it is gone. */
static void await_kernel_exit(int tid) {
  char path[64];
  snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
  for (int i = 0; i < 1000; ++i) {
    FILE* f = fopen(path, "r");
    if (f == NULL) return;
    char buf[512] = "";
    size_t got = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[got] = '\0';
    const char* end = strrchr(buf, ')');
    if (end != NULL && (end[2] == 'Z' || end[2] == 'X')) return;
    struct timespec ms = {0, 1000000};
    nanosleep(&ms, NULL);
  }
}

int main(void) {
  handoff_run(&g_lock, 2, 5); /* its thread is joined when this returns */
  await_kernel_exit(atomic_load(&handoff_worker_tid));
  int fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
  report("setns(mnt)", fd < 0 ? -1 : setns(fd, CLONE_NEWNS));
  if (fd >= 0) close(fd);
  report("unshare(user)", unshare(CLONE_NEWUSER));
  printf("lock %p\n", (void*)&g_lock);
  return 0;
}
