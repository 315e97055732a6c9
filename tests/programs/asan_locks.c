/* Built with AddressSanitizer, whose runtime insists on coming first in the
 * list of loaded libraries: the launcher must put it ahead of us. */
#include "handoff_lib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

int main(void) {
  char* buffer = malloc(64);
  strcpy(buffer, "asan ok");
  handoff_run(&g_lock, 3, 10);
  puts(buffer);
  free(buffer);
  return 0;
}
