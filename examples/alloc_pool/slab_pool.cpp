#include "slab_pool.h"

namespace alloc_pool {

SlabPool::SlabPool(size_t block_size, size_t blocks_per_slab, size_t slabs)
    : block_size_(block_size), blocks_per_slab_(blocks_per_slab) {
  for (size_t i = 0; i < slabs; ++i) {
    Slab* s = make_slab(block_size_, blocks_per_slab_);
    s->next_created = created_;
    created_ = s;
    s->next_free = free_;
    free_ = s;
  }
}

SlabPool::~SlabPool() {
  for (Slab* s = created_; s != nullptr;) {
    Slab* next = s->next_created;
    destroy_slab(s);
    s = next;
  }
}

// noinline keeps each path a distinct frame in profiles and stack traces.
__attribute__((noinline)) Slab* SlabPool::acquire_slab() {
  std::lock_guard<std::mutex> guard(mu_);
  Slab* s = free_;
  if (s != nullptr) {
    free_ = s->next_free;
  } else {
    s = make_slab(block_size_, blocks_per_slab_);
    s->next_created = created_;
    created_ = s;
  }
  // Preparing the slab under the lock is what makes this path slow.
  reset_slab(s);
  return s;
}

__attribute__((noinline)) void SlabPool::release_slabs(std::vector<Slab*>& slabs) {
  std::lock_guard<std::mutex> guard(mu_);
  for (Slab* s : slabs) {
    s->next_free = free_;
    free_ = s;
  }
  slabs.clear();
}

}  // namespace alloc_pool
