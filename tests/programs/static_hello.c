/* Linked statically: LD_PRELOAD cannot reach it; the launcher must refuse. */
#include <stdio.h>

int main(void) {
  puts("static hello");
  return 0;
}
