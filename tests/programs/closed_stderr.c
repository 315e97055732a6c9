/* Closes stdout and stderr (as `sort` does before library destructors run)
 * after 3 contended rounds; CONTEND_STATS must still reach the original
 * stderr. */
#include "handoff_lib.h"

#include <unistd.h>

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

int main(void) {
  handoff_run(&g_lock, 3, 10);
  close(1);
  close(2);
  return 0;
}
