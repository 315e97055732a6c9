// A message pipeline on glibc's malloc: producer threads allocate messages
// of 1 to 2 KiB (past glibc's per-thread cache), consumer threads check and
// free them. Every free
// happens on another thread than the malloc, so it goes back to the arena
// the producer allocates from, under that arena's lock: glibc's own lock,
// which no pthread function shows (see the report under CONTEND_FUTEX=all).
//
// --recycle: consumers hand the buffers back to their producer, which reuses
// them; in the steady state nothing is allocated or freed, and the arena lock
// is gone. (Another fix: a thread-caching allocator, LD_PRELOAD=jemalloc.)
//
//   alloc_pressure [--recycle] [PAIRS [MESSAGES]]      # default 2 2000000
#include <time.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

namespace alloc_pressure {

constexpr size_t kMinMessage = 1040;  // past the thread cache's largest size
constexpr size_t kMaxMessage = 2064;

// Full or empty: let the other side run (a short sleep, not a lock).
void back_off() {
  timespec pause{0, 20000};
  nanosleep(&pause, nullptr);
}

// One producer to one consumer, lock-free, bounded: the only lock in the
// program is the allocator's.
class Ring {
 public:
  void push(unsigned char* p) {
    uint64_t tail = tail_.load(std::memory_order_relaxed);
    while (tail - head_.load(std::memory_order_acquire) == kSize) back_off();
    slots_[tail % kSize] = p;
    tail_.store(tail + 1, std::memory_order_release);
  }
  unsigned char* pop() {
    uint64_t head = head_.load(std::memory_order_relaxed);
    while (tail_.load(std::memory_order_acquire) == head) back_off();
    unsigned char* p = slots_[head % kSize];
    head_.store(head + 1, std::memory_order_release);
    return p;
  }
  bool try_push(unsigned char* p) {
    uint64_t tail = tail_.load(std::memory_order_relaxed);
    if (tail - head_.load(std::memory_order_acquire) == kSize) return false;
    slots_[tail % kSize] = p;
    tail_.store(tail + 1, std::memory_order_release);
    return true;
  }
  bool try_pop(unsigned char** p) {
    uint64_t head = head_.load(std::memory_order_relaxed);
    if (tail_.load(std::memory_order_acquire) == head) return false;
    *p = slots_[head % kSize];
    head_.store(head + 1, std::memory_order_release);
    return true;
  }

 private:
  static constexpr uint64_t kSize = 1024;
  alignas(64) std::atomic<uint64_t> head_{0};
  alignas(64) std::atomic<uint64_t> tail_{0};
  unsigned char* slots_[kSize] = {};
};

struct Pair {
  Ring messages;
  Ring returned;  // --recycle: empty buffers back to the producer
  uint64_t checksum = 0;
};

size_t message_size(uint64_t i) {
  return kMinMessage + (i * 2654435761u) % (kMaxMessage - kMinMessage);
}

void produce(Pair& pair, uint64_t messages, bool recycle) {
  for (uint64_t i = 0; i < messages; ++i) {
    size_t size = message_size(i);
    unsigned char* p = nullptr;
    if (!recycle || !pair.returned.try_pop(&p))
      p = static_cast<unsigned char*>(std::malloc(recycle ? kMaxMessage : size));
    std::memcpy(p, &size, sizeof size);
    p[size - 1] = static_cast<unsigned char>(i);
    pair.messages.push(p);
  }
  pair.messages.push(nullptr);
}

void consume(Pair& pair, bool recycle) {
  while (unsigned char* p = pair.messages.pop()) {
    size_t size;
    std::memcpy(&size, p, sizeof size);
    pair.checksum += size + p[size - 1];
    if (!recycle || !pair.returned.try_push(p)) std::free(p);
  }
  unsigned char* left;
  while (pair.returned.try_pop(&left)) std::free(left);
}

}  // namespace alloc_pressure

int main(int argc, char** argv) {
  using namespace alloc_pressure;
  int arg = 1;
  bool recycle = argc > arg && std::strcmp(argv[arg], "--recycle") == 0;
  if (recycle) ++arg;
  int pairs = argc > arg ? std::atoi(argv[arg]) : 2;
  uint64_t messages = argc > arg + 1 ? std::strtoull(argv[arg + 1], nullptr, 10) : 2000000;
  if (pairs < 1 || messages < 1) {
    std::fprintf(stderr, "usage: alloc_pressure [--recycle] [PAIRS [MESSAGES]]\n");
    return 2;
  }
  std::vector<Pair> all(static_cast<size_t>(pairs));
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (Pair& p : all) {
    threads.emplace_back(produce, std::ref(p), messages, recycle);
    threads.emplace_back(consume, std::ref(p), recycle);
  }
  for (std::thread& t : threads) t.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  uint64_t checksum = 0;
  for (const Pair& p : all) checksum += p.checksum;
  std::printf("%d pairs, %llu messages each, checksum %llu\n", pairs,
              static_cast<unsigned long long>(messages), static_cast<unsigned long long>(checksum));
  std::fprintf(stderr, "%.3f s, %.2f M messages/s\n", seconds,
               static_cast<double>(messages) * pairs / seconds / 1e6);
  return 0;
}
