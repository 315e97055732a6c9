/* A library whose constructor locks (which boots libcontend.so from its
 * hook) and then forks, all before libcontend.so's own constructor has run
 * (a library the program links is initialized before a preloaded one):
 * the child must not record into the parent's session. */
#include <pthread.h>
#include <unistd.h>

pthread_mutex_t g_ctor_fork_lock = PTHREAD_MUTEX_INITIALIZER;
pid_t g_ctor_fork_child = -1;

__attribute__((constructor)) static void ctor_fork_init(void) {
  pthread_mutex_lock(&g_ctor_fork_lock);
  pthread_mutex_unlock(&g_ctor_fork_lock);
  g_ctor_fork_child = fork();
}
