// A slab: one block of memory cut into equal blocks, handed out by bumping
// an index and given back when every block is free again.
#pragma once

#include <cstddef>

namespace alloc_pool {

struct Slab {
  std::byte* memory = nullptr;
  size_t block_size = 0;
  size_t capacity = 0;  // blocks per slab
  size_t next = 0;      // bump index for the next allocation
  size_t live = 0;      // blocks handed out and not yet freed
  Slab* next_free = nullptr;
  Slab* next_created = nullptr;  // every slab ever made, for the destructor
};

Slab* make_slab(size_t block_size, size_t blocks);
void destroy_slab(Slab* slab);
// Ready for reuse: zeroed, nothing handed out.
void reset_slab(Slab* slab);

}  // namespace alloc_pool
