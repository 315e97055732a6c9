// A shared pool of fixed-size slabs behind one mutex: the contention this
// example is about. A thread takes one slab at a time when its cache misses
// (acquire_slab, the allocation path, which also zeroes the slab under the
// lock), and gives emptied slabs back in batches (release_slabs, the free
// path, one lock acquisition per batch, as tcmalloc's transfer cache does).
#pragma once

#include "slab.h"

#include <cstddef>
#include <mutex>
#include <vector>

namespace alloc_pool {

class SlabPool {
 public:
  SlabPool(size_t block_size, size_t blocks_per_slab, size_t slabs);
  ~SlabPool();
  SlabPool(const SlabPool&) = delete;
  SlabPool& operator=(const SlabPool&) = delete;

  Slab* acquire_slab();
  void release_slabs(std::vector<Slab*>& slabs);  // empties `slabs`

 private:
  std::mutex mu_;  // the shared pool lock
  Slab* free_ = nullptr;
  Slab* created_ = nullptr;
  size_t block_size_;
  size_t blocks_per_slab_;
};

}  // namespace alloc_pool
