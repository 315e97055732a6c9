/* Expected under libcontend.so: g_early_lock acquired exactly 5 times (3 in
 * the library constructor, 2 here). */
#include <pthread.h>
#include <stdio.h>

extern pthread_mutex_t g_early_lock;
extern int g_early_count;

int main(void) {
  for (int i = 0; i < 2; ++i) {
    pthread_mutex_lock(&g_early_lock);
    ++g_early_count;
    pthread_mutex_unlock(&g_early_lock);
  }
  printf("early_calls: %d acquisitions, lock at %p\n", g_early_count, (void*)&g_early_lock);
  return 0;
}
