#include "lockfree_slab_pool.h"

namespace alloc_pool {

namespace {

constexpr uint64_t kPointerMask = (uint64_t{1} << 48) - 1;

Slab* pointer_of(uint64_t head) {
  return reinterpret_cast<Slab*>(head & kPointerMask);
}
uint64_t tagged(Slab* s, uint64_t old_head) {
  uint64_t tag = (old_head >> 48) + 1;
  return (tag << 48) | reinterpret_cast<uint64_t>(s);
}

}  // namespace

LockFreeSlabPool::LockFreeSlabPool(size_t block_size, size_t blocks_per_slab, size_t slabs)
    : block_size_(block_size), blocks_per_slab_(blocks_per_slab) {
  for (size_t i = 0; i < slabs; ++i) {
    Slab* s = make_slab(block_size_, blocks_per_slab_);
    remember(s);
    push(s);
  }
}

LockFreeSlabPool::~LockFreeSlabPool() {
  for (Slab* s = created_.load(); s != nullptr;) {
    Slab* next = s->next_created;
    destroy_slab(s);
    s = next;
  }
}

void LockFreeSlabPool::remember(Slab* s) {
  Slab* old = created_.load(std::memory_order_relaxed);
  do s->next_created = old;
  while (!created_.compare_exchange_weak(old, s, std::memory_order_release, std::memory_order_relaxed));
}

void LockFreeSlabPool::push(Slab* s) {
  uint64_t old = head_.load(std::memory_order_relaxed);
  do s->next_free = pointer_of(old);
  while (!head_.compare_exchange_weak(old, tagged(s, old), std::memory_order_release,
                                      std::memory_order_relaxed));
}

Slab* LockFreeSlabPool::pop() {
  uint64_t old = head_.load(std::memory_order_acquire);
  while (Slab* s = pointer_of(old)) {
    // Slabs are never freed while the pool lives, so reading next_free of
    // a slab another thread just popped is safe; the tag makes the CAS fail.
    if (head_.compare_exchange_weak(old, tagged(s->next_free, old), std::memory_order_acquire,
                                    std::memory_order_acquire))
      return s;
  }
  return nullptr;
}

__attribute__((noinline)) Slab* LockFreeSlabPool::acquire_slab() {
  Slab* s = pop();
  if (s == nullptr) {
    s = make_slab(block_size_, blocks_per_slab_);
    remember(s);
  }
  reset_slab(s);  // zeroed by its new owner, outside any lock
  return s;
}

__attribute__((noinline)) void LockFreeSlabPool::release_slabs(std::vector<Slab*>& slabs) {
  for (Slab* s : slabs) push(s);
  slabs.clear();
}

}  // namespace alloc_pool
