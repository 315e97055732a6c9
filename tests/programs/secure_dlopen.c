/* Loads the library given as argv[1] with dlopen and takes locks. Run
 * setgid (an AT_SECURE process), the library must do nothing at all: no
 * trace file, no message, the program unchanged. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  void* lib = dlopen(argv[1], RTLD_NOW | RTLD_GLOBAL);
  if (lib == NULL) {
    printf("dlopen failed: %s\n", dlerror());
    return 3;
  }
  for (int i = 0; i < 100; ++i) {
    pthread_mutex_lock(&g_lock);
    pthread_mutex_unlock(&g_lock);
  }
  puts("secure done");
  return 0;
}
