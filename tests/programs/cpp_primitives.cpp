// The C++ standard library's primitives, each contended on purpose:
//   std::mutex, std::shared_mutex (a reader behind a writer),
//   std::timed_mutex::try_lock_for (times out), and
//   std::condition_variable::wait_for (a waiter signalled after 20 ms).
// Prints each object's address for the test.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <shared_mutex>
#include <thread>

using namespace std::chrono_literals;

namespace {

std::mutex g_mutex;
std::shared_mutex g_shared;
std::timed_mutex g_timed;
std::mutex g_cv_mutex;
std::condition_variable g_cv;
bool g_ready = false;

// Runs `holder` and, once it holds, `waiter` on another thread.
template <typename Holder, typename Waiter>
void contend(Holder holder, Waiter waiter) {
  std::atomic<int> phase{0};
  std::thread t([&] {
    while (phase.load() != 1) std::this_thread::sleep_for(20us);
    phase.store(2);
    waiter();
  });
  holder(phase);
  t.join();
}

void await(std::atomic<int>& phase, int value) {
  while (phase.load() != value) std::this_thread::sleep_for(20us);
}

}  // namespace

int main() {
  for (int i = 0; i < 3; ++i) {
    contend(
        [](std::atomic<int>& phase) {
          std::lock_guard<std::mutex> g(g_mutex);
          phase.store(1);
          await(phase, 2);
          std::this_thread::sleep_for(20ms);
        },
        [] { std::lock_guard<std::mutex> g(g_mutex); });
    contend(
        [](std::atomic<int>& phase) {
          std::unique_lock<std::shared_mutex> g(g_shared);
          phase.store(1);
          await(phase, 2);
          std::this_thread::sleep_for(20ms);
        },
        [] { std::shared_lock<std::shared_mutex> g(g_shared); });
    contend(
        [](std::atomic<int>& phase) {
          std::lock_guard<std::timed_mutex> g(g_timed);
          phase.store(1);
          await(phase, 2);
          std::this_thread::sleep_for(60ms);
        },
        [] {
          if (g_timed.try_lock_for(20ms)) g_timed.unlock();
        });
    contend(
        [](std::atomic<int>& phase) {
          phase.store(1);
          await(phase, 2);
          std::this_thread::sleep_for(20ms);
          {
            std::lock_guard<std::mutex> g(g_cv_mutex);
            g_ready = true;
          }
          g_cv.notify_one();
        },
        [] {
          std::unique_lock<std::mutex> g(g_cv_mutex);
          g_cv.wait_for(g, 5s, [] { return g_ready; });
          g_ready = false;
        });
  }
  std::printf("mutex %p\nshared_mutex %p\ntimed_mutex %p\ncondition_variable %p\n",
              static_cast<void*>(&g_mutex), static_cast<void*>(&g_shared), static_cast<void*>(&g_timed),
              static_cast<void*>(&g_cv));
  return 0;
}
