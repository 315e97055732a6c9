// The fix: the same pool with its free list as a lock-free stack (a CAS
// loop on a tagged head, so a slab popped and pushed back meanwhile cannot
// fool it), and slabs zeroed by the thread that takes them, outside any
// lock. Nothing is serialized any more but one compare-and-swap.
#pragma once

#include "slab.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace alloc_pool {

class LockFreeSlabPool {
 public:
  LockFreeSlabPool(size_t block_size, size_t blocks_per_slab, size_t slabs);
  ~LockFreeSlabPool();
  LockFreeSlabPool(const LockFreeSlabPool&) = delete;
  LockFreeSlabPool& operator=(const LockFreeSlabPool&) = delete;

  Slab* acquire_slab();
  void release_slabs(std::vector<Slab*>& slabs);  // empties `slabs`

 private:
  void push(Slab* s);
  Slab* pop();
  void remember(Slab* s);  // for the destructor

  // Head of the free stack: a slab pointer (48 bits) and a 16-bit tag that
  // changes on every push and pop (the ABA guard).
  std::atomic<uint64_t> head_{0};
  std::atomic<Slab*> created_{nullptr};
  size_t block_size_;
  size_t blocks_per_slab_;
};

}  // namespace alloc_pool
