/* A library whose constructor locks before main() and, possibly, before
 * libcontend.so's own constructor: the hooks must resolve the real
 * functions on first use (issue 2: "the first calls before the constructor
 * must work"). */
#include <pthread.h>

pthread_mutex_t g_early_lock = PTHREAD_MUTEX_INITIALIZER;
int g_early_count;

__attribute__((constructor)) static void early_locker_init(void) {
  for (int i = 0; i < 3; ++i) {
    pthread_mutex_lock(&g_early_lock);
    ++g_early_count;
    pthread_mutex_unlock(&g_early_lock);
  }
}
