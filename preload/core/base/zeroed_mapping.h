// Arrays in fresh anonymous mappings, for the recorder's big tables.
//
// Every such table starts all zero bits, which is what the kernel hands
// out, so the elements are not constructed: constructing them would write
// every page at start-up (8 MiB for the lock registry alone, milliseconds
// of page faults) where untouched pages cost nothing until used.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <new>
#include <type_traits>

namespace contend::preload {

// A fresh private anonymous mapping; nullptr when mmap fails.
inline void* map_zeroed(size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

// Element type T must be valid as all zero bits (atomics and integers
// initialized to zero) and need no destructor. nullptr when mmap fails.
template <typename T>
T* map_zeroed_array(size_t count) {
  static_assert(std::is_trivially_destructible_v<T>);
  void* p = map_zeroed(sizeof(T) * count);
  return p == nullptr ? nullptr : std::launder(static_cast<T*>(p));
}

}  // namespace contend::preload
