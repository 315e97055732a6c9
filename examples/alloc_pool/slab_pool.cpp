#include "slab_pool.h"

#include <cstring>
#include <new>

namespace alloc_pool {

SlabPool::SlabPool(size_t block_size, size_t blocks_per_slab, size_t slabs)
    : block_size_(block_size), blocks_per_slab_(blocks_per_slab) {
  for (size_t i = 0; i < slabs; ++i) {
    Slab* s = grow();
    s->next_free = free_;
    free_ = s;
  }
}

SlabPool::~SlabPool() {
  for (Slab* s : all_) {
    ::operator delete[](s->memory, std::align_val_t{64});
    delete s;
  }
}

Slab* SlabPool::grow() {
  auto* s = new Slab();
  s->block_size = block_size_;
  s->capacity = blocks_per_slab_;
  s->memory = static_cast<std::byte*>(::operator new[](block_size_* blocks_per_slab_, std::align_val_t{64}));
  all_.push_back(s);
  return s;
}

// noinline keeps each path a distinct frame in profiles and stack traces.
__attribute__((noinline)) Slab* SlabPool::acquire_slab() {
  std::lock_guard<std::mutex> guard(mu_);
  Slab* s = free_;
  if (s != nullptr) {
    free_ = s->next_free;
  } else {
    s = grow();
  }
  // Preparing the slab under the lock is what makes this path slow.
  std::memset(s->memory, 0, s->block_size * s->capacity);
  s->next = 0;
  s->live = 0;
  s->next_free = nullptr;
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
