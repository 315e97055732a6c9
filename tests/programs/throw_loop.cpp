// C++ exceptions thrown by the program itself while it profiles, the way
// most C++ programs run: `throw_loop 1 N` throws N exceptions on one thread;
// `throw_loop T N` starts T threads that each throw N exceptions while
// contending on one mutex (every throw inside the lock). Built so that its
// DT_NEEDED lists libstdc++ and libc but not libgcc_s (no cleanups of its
// own): the unwinder that libstdc++ finds is whatever the lookup order
// gives, which is what isolation must keep at libgcc_s.
#include <pthread.h>
#include <cstdio>
#include <cstdlib>

namespace {

pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
long g_caught = 0;
int g_throws = 0;

[[gnu::noinline]] void thrower(int i) {
  throw i;
}

void* worker(void*) {
  for (int i = 0; i < g_throws; ++i) {
    pthread_mutex_lock(&g_lock);
    try {
      thrower(i);
    } catch (...) {
      ++g_caught;
    }
    pthread_mutex_unlock(&g_lock);
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  int threads = std::atoi(argv[1]);
  g_throws = std::atoi(argv[2]);
  if (threads <= 1) {
    long caught = 0;
    for (int i = 0; i < g_throws; ++i) {
      try {
        thrower(i);
      } catch (...) {
        ++caught;
      }
    }
    std::printf("caught %ld\n", caught);
    return 0;
  }
  pthread_t t[64];
  if (threads > 64) threads = 64;
  for (int i = 0; i < threads; ++i) pthread_create(&t[i], nullptr, &worker, nullptr);
  for (int i = 0; i < threads; ++i) pthread_join(t[i], nullptr);
  std::printf("caught %ld\n", g_caught);
  return 0;
}
