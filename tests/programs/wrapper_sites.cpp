// Call sites behind the C++ standard library's lock wrappers:
//   wrapper_sites scoped  transfer() takes two std::mutex members with
//                         std::scoped_lock; a waiter blocks in it (in std::lock)
//   wrapper_sites lambda  a lambda run by std::thread waits in std::lock_guard
// The holder keeps the lock 20 ms while the waiter is blocked, once. Prints
// "<mode> <address of the mutex waited for>".
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>

namespace {

std::atomic<int> g_phase{0};

void await_phase(int value) {
  while (g_phase.load() != value) std::this_thread::sleep_for(std::chrono::microseconds(20));
}

// The holder's side: keep what it holds until the waiter is about to
// block, then 20 ms more.
void hold_while_waited_for() {
  g_phase.store(1);
  await_phase(2);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

struct Account {
  std::mutex mutex;
  long balance = 100;
};

}  // namespace

__attribute__((noinline)) void transfer(Account& from, Account& to, long amount, bool hold) {
  std::scoped_lock both(from.mutex, to.mutex);
  from.balance -= amount;
  to.balance += amount;
  if (hold) hold_while_waited_for();
}

__attribute__((noinline)) int run_scoped() {
  auto a = std::make_unique<Account>();
  auto b = std::make_unique<Account>();
  std::thread waiter([&] {
    await_phase(1);
    g_phase.store(2);  // about to block
    transfer(*b, *a, 5, false);
  });
  transfer(*a, *b, 10, true);
  waiter.join();
  // std::lock locks the first mutex it is given (b's) and waits there.
  std::printf("scoped %p\n", static_cast<void*>(&b->mutex));
  return a->balance == 95 && b->balance == 105 ? 0 : 1;
}

__attribute__((noinline)) int run_lambda() {
  std::mutex mutex;
  long counter = 0;
  std::unique_lock<std::mutex> held(mutex);
  std::thread waiter([&] {
    await_phase(1);
    g_phase.store(2);  // about to block
    std::lock_guard<std::mutex> guard(mutex);
    ++counter;
  });
  hold_while_waited_for();
  held.unlock();
  waiter.join();
  std::printf("lambda %p\n", static_cast<void*>(&mutex));
  return counter == 1 ? 0 : 1;
}

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "scoped") == 0) return run_scoped();
  if (argc > 1 && std::strcmp(argv[1], "lambda") == 0) return run_lambda();
  std::fprintf(stderr, "usage: wrapper_sites scoped|lambda\n");
  return 2;
}
