/* An OpenMP critical section (libgomp's own futex lock, never a hooked
 * function): thread 0 holds it for 300 ms while the 3 others arrive, so
 * exactly 3 threads wait once each, under the function that entered it. */
#include <omp.h>
#include <stdio.h>
#include <unistd.h>

static long g_sum;

static void enter_critical(int id) {
#pragma omp critical
  {
    if (id == 0) usleep(300 * 1000);
    g_sum += id;
  }
}

int main(void) {
#pragma omp parallel num_threads(4)
  {
    int id = omp_get_thread_num();
    if (id != 0) usleep(100 * 1000); /* thread 0 is inside by now */
    enter_critical(id);
  }
  printf("sum %ld threads 4\n", g_sum);
  return 0;
}
