/* One thread loads and unloads a plugin in a loop while main forks
 * children one after another; each child takes a lock once and ends with
 * _exit (exit would run the atexit list, whose lock glibc leaves held in a
 * child forked during dlopen or dlclose: such children hang with or
 * without the profiler). A child that is not done within 5 s is killed
 * and counted as hung.
 * Usage: fork_dlopen PLUGIN CHILDREN. Prints "children N hung H". */
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static const char* g_plugin;
static atomic_int g_stop;
static atomic_int g_loads;

static void* loader(void* arg) {
  (void)arg;
  while (!atomic_load(&g_stop)) {
    void* h = dlopen(g_plugin, RTLD_NOW | RTLD_LOCAL);
    if (h == NULL) {
      fprintf(stderr, "dlopen: %s\n", dlerror());
      exit(2);
    }
    dlclose(h);
    atomic_fetch_add(&g_loads, 1);
  }
  return NULL;
}

/* 1 when the child exited 0, 0 when it failed, -1 when it hung. */
static int await_child(pid_t pid) {
  for (int ms = 0; ms < 5000; ++ms) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) && WEXITSTATUS(status) == 0;
    struct timespec ts = {0, 1000000L};
    nanosleep(&ts, NULL);
  }
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
  return -1;
}

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  g_plugin = argv[1];
  int children = atoi(argv[2]);
  pthread_t t;
  pthread_create(&t, NULL, loader, NULL);
  while (atomic_load(&g_loads) < 10) sched_yield();
  int hung = 0, failed = 0;
  for (int i = 0; i < children; ++i) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      pthread_mutex_lock(&g_lock);
      pthread_mutex_unlock(&g_lock);
      _exit(0);
    }
    int r = await_child(pid);
    hung += r < 0;
    failed += r == 0;
  }
  atomic_store(&g_stop, 1);
  pthread_join(t, NULL);
  printf("children %d hung %d failed %d lock %p\n", children, hung, failed, (void*)&g_lock);
  return 0;
}
