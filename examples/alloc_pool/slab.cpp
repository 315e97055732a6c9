#include "slab.h"

#include <cstring>
#include <new>

namespace alloc_pool {

Slab* make_slab(size_t block_size, size_t blocks) {
  auto* s = new Slab();
  s->block_size = block_size;
  s->capacity = blocks;
  s->memory = static_cast<std::byte*>(::operator new[](block_size* blocks, std::align_val_t{64}));
  return s;
}

void destroy_slab(Slab* slab) {
  ::operator delete[](slab->memory, std::align_val_t{64});
  delete slab;
}

void reset_slab(Slab* slab) {
  std::memset(slab->memory, 0, slab->block_size * slab->capacity);
  slab->next = 0;
  slab->live = 0;
  slab->next_free = nullptr;
}

}  // namespace alloc_pool
