// The uncontended pair as most C programs write it: one thread, a
// pthread_mutex_lock/unlock pair around a volatile counter, built with -O2.
// Prints the counter; `bench/cost_check.py` times it plain and profiled.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile long counter;

int main(int argc, char** argv) {
  long n = argc > 1 ? atol(argv[1]) : 20000000;
  for (long i = 0; i < n; ++i) {
    pthread_mutex_lock(&lock);
    counter++;
    pthread_mutex_unlock(&lock);
  }
  printf("%ld\n", counter);
  return 0;
}
