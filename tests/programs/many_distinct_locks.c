// Locks N distinct mutexes once each (N from argv, at most 8192): more than
// a small lock registry (CONTEND_LOCKS=1024) can give an identity to.
// Prints the number of acquisitions.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_LOCKS 8192
static pthread_mutex_t locks[MAX_LOCKS];

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 4096;
  if (n < 0 || n > MAX_LOCKS) n = MAX_LOCKS;
  long acquired = 0;
  for (int i = 0; i < n; ++i) {
    locks[i] = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
    if (pthread_mutex_lock(&locks[i]) == 0) {
      ++acquired;
      pthread_mutex_unlock(&locks[i]);
    }
  }
  printf("%ld acquisitions\n", acquired);
  return 0;
}
