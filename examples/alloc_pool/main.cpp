// alloc_pool: a multi-threaded allocation benchmark over a shared slab pool.
//
//   alloc_pool [--lockfree] [THREADS [ITERATIONS [BLOCK_SIZE]]]   (default: 4 400000 1024)
//
// --lockfree runs the fixed pool (lockfree_slab_pool.h) instead of the one
// behind a mutex (slab_pool.h), for the A/B comparison.
//
// Each thread allocates bursts of blocks and frees them again. A used-up slab
// is replaced by one from the shared pool, under its mutex (acquire_slab);
// emptied slabs go back to the pool in batches (release_slabs). The output
// (checksum, blocks) is deterministic; the timing line on stderr is not.
#include "lockfree_slab_pool.h"
#include "slab_pool.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

using alloc_pool::LockFreeSlabPool;
using alloc_pool::Slab;
using alloc_pool::SlabPool;

constexpr size_t kBlocksPerSlab = 64;
constexpr size_t kBurst = 128;       // blocks allocated, then freed, per iteration
constexpr size_t kReturnBatch = 32;  // emptied slabs returned to the pool at once

struct Block {
  Slab* slab;
  std::byte* data;
};

// A thread's private slabs. Allocation bumps through the current slab and
// takes a fresh one from the pool when it is used up; a used-up slab whose
// blocks are all freed goes to a return list, handed back in batches.
template <typename Pool>
class ThreadCache {
 public:
  explicit ThreadCache(Pool& pool) : pool_(pool) {}
  ~ThreadCache() {
    if (current_ != nullptr) returned_.push_back(current_);
    if (!returned_.empty()) pool_.release_slabs(returned_);
  }

  Block allocate() {
    if (current_ == nullptr || current_->next == current_->capacity) current_ = pool_.acquire_slab();
    Block b{current_, current_->memory + current_->next * current_->block_size};
    ++current_->next;
    ++current_->live;
    return b;
  }

  void free(Block b) {
    Slab* s = b.slab;
    if (--s->live > 0 || s->next < s->capacity) return;
    if (s == current_) {
      s->next = 0;  // reuse in place
      return;
    }
    returned_.push_back(s);
    if (returned_.size() >= kReturnBatch) pool_.release_slabs(returned_);
  }

 private:
  Pool& pool_;
  Slab* current_ = nullptr;
  std::vector<Slab*> returned_;
};

template <typename Pool>
uint64_t run_thread(Pool& pool, size_t iterations, size_t block_size, unsigned seed) {
  ThreadCache<Pool> cache(pool);
  std::vector<Block> live;
  live.reserve(kBurst);
  uint64_t checksum = 0;
  for (size_t it = 0; it < iterations; ++it) {
    for (size_t i = 0; i < kBurst; ++i) {
      Block b = cache.allocate();
      b.data[0] = static_cast<std::byte>(seed + it + i);
      b.data[block_size - 1] = static_cast<std::byte>(i);
      live.push_back(b);
    }
    for (Block& b : live) {
      checksum += static_cast<uint64_t>(b.data[0]) + static_cast<uint64_t>(b.data[block_size - 1]);
      cache.free(b);
    }
    live.clear();
  }
  return checksum;
}

size_t arg(int argc, char** argv, int i, size_t fallback) {
  if (argc <= i) return fallback;
  char* end = nullptr;
  unsigned long v = std::strtoul(argv[i], &end, 10);
  if (end == argv[i] || *end != '\0' || v == 0) {
    std::fprintf(stderr,
                 "alloc_pool: bad argument '%s'\nusage: alloc_pool [THREADS [ITERATIONS [BLOCK_SIZE]]]\n",
                 argv[i]);
    std::exit(2);
  }
  return v;
}

template <typename Pool>
int run(size_t threads, size_t iterations, size_t block_size, const char* variant) {
  Pool pool(block_size, kBlocksPerSlab, threads * (kReturnBatch + 4));
  std::vector<uint64_t> sums(threads);
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (size_t t = 0; t < threads; ++t)
    workers.emplace_back(
        [&, t] { sums[t] = run_thread(pool, iterations, block_size, static_cast<unsigned>(t)); });
  for (auto& w : workers) w.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  uint64_t checksum = 0;
  for (uint64_t s : sums) checksum += s;
  uint64_t blocks = threads * iterations * kBurst;
  std::printf("alloc_pool: %zu threads x %zu iterations, %zu-byte blocks: %llu blocks, checksum %llu\n",
              threads, iterations, block_size, static_cast<unsigned long long>(blocks),
              static_cast<unsigned long long>(checksum));
  std::fprintf(stderr, "alloc_pool (%s pool): %.3f s, %.1f M blocks/s\n", variant, seconds,
               static_cast<double>(blocks) / seconds / 1e6);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  bool lockfree = argc > 1 && std::string(argv[1]) == "--lockfree";
  if (lockfree) {
    --argc;
    ++argv;
  }
  size_t threads = arg(argc, argv, 1, 4);
  size_t iterations = arg(argc, argv, 2, 400000);
  size_t block_size = arg(argc, argv, 3, 1024);
  return lockfree ? run<LockFreeSlabPool>(threads, iterations, block_size, "lock-free")
                  : run<SlabPool>(threads, iterations, block_size, "mutex");
}
