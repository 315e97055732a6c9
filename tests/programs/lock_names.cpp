// Locks of every naming kind, each contended a little, for the naming test:
//   g_named_global            a global: named by its symbol
//   g_pool.lock               a member of a global struct: "g_pool+64"
//   make_heap_lock()          a heap lock from pthread_mutex_init: its creator
//   Logger::mu_               a std::mutex member, never initialized by a
//                             call: the function that first locked it
//   annotated                 named with contend_name_lock()
//   g_plugin_lock             a global inside a dlopen'ed plugin (argv[1])
//   reused                    one address, initialized, destroyed and
//                             initialized again: two locks (generations)
// Prints "<what> <address>" lines.
#include <contend/annotate.h>

#include <dlfcn.h>
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

extern "C" {
pthread_mutex_t g_named_global = PTHREAD_MUTEX_INITIALIZER;
struct Pool {
  char payload[64];
  pthread_mutex_t lock;
} g_pool = {{}, PTHREAD_MUTEX_INITIALIZER};
}

namespace {

using namespace std::chrono_literals;

// Holds `lock` 5 ms while another thread blocks on it.
template <typename Lock, typename Unlock>
void contend_once(Lock lock, Unlock unlock) {
  std::atomic<int> phase{0};
  std::thread waiter([&] {
    while (phase.load() != 1) std::this_thread::sleep_for(20us);
    phase.store(2);
    lock();
    unlock();
  });
  lock();
  phase.store(1);
  while (phase.load() != 2) std::this_thread::sleep_for(20us);
  std::this_thread::sleep_for(5ms);
  unlock();
  waiter.join();
}

void contend_pthread(pthread_mutex_t* m) {
  contend_once([m] { pthread_mutex_lock(m); }, [m] { pthread_mutex_unlock(m); });
}

__attribute__((noinline)) pthread_mutex_t* make_heap_lock() {
  auto* m = new pthread_mutex_t;
  pthread_mutex_init(m, nullptr);
  return m;
}

struct Logger {
  std::mutex mu_;
  int lines = 0;
  __attribute__((noinline)) void log() {
    std::lock_guard<std::mutex> guard(mu_);
    ++lines;
  }
};

}  // namespace

int main(int argc, char** argv) {
  contend_pthread(&g_named_global);
  contend_pthread(&g_pool.lock);
  pthread_mutex_t* heap = make_heap_lock();
  contend_pthread(heap);
  auto* logger = new Logger;
  logger->log();  // the first acquisition: its birth
  contend_once([logger] { logger->mu_.lock(); }, [logger] { logger->mu_.unlock(); });
  pthread_mutex_t annotated = PTHREAD_MUTEX_INITIALIZER;
  contend_name_lock(&annotated, "shared_pool.alloc_lock");
  contend_name_thread("main-thread");
  contend_pthread(&annotated);
  auto* reused = static_cast<pthread_mutex_t*>(operator new(sizeof(pthread_mutex_t)));
  for (int life = 0; life < 2; ++life) {
    pthread_mutex_init(reused, nullptr);
    for (int i = 0; i <= life; ++i) contend_pthread(reused);  // 1 wait, then 2
    pthread_mutex_destroy(reused);
  }
  std::printf("global %p\nmember %p\nheap %p\nlogger %p\nannotated %p\nreused %p\n",
              static_cast<void*>(&g_named_global), static_cast<void*>(&g_pool.lock), static_cast<void*>(heap),
              static_cast<void*>(&logger->mu_), static_cast<void*>(&annotated), static_cast<void*>(reused));
  if (argc > 1) {
    void* plugin = dlopen(argv[1], RTLD_NOW);
    if (plugin == nullptr) {
      std::fprintf(stderr, "dlopen: %s\n", dlerror());
      return 1;
    }
    auto work = reinterpret_cast<void (*)()>(dlsym(plugin, "plugin_work"));
    work();
    std::printf("plugin %p\n", dlsym(plugin, "g_plugin_lock"));
  }
  return 0;
}
