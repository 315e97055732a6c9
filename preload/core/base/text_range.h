// The executable code of one loaded object, as an address range: our own
// (frames to leave out of stacks) and the unwinder's (locks it takes are
// never recorded).
#pragma once

#include <atomic>
#include <cstdint>

namespace contend::preload {

struct TextRange {
  uintptr_t begin = 0;
  uintptr_t end = 0;  // [begin, end); empty when unknown
  bool contains(uintptr_t pc) const { return pc - begin < end - begin; }
};

// The executable PT_LOAD segment of the object that holds `address`;
// empty when there is none. Walks the loader's list (dl_iterate_phdr):
// start-up only, never in a hook.
TextRange text_range_of(const void* address);

// A range written once, early, and read on every hook by any thread. The
// size is published last: a reader sees either no range or the whole one.
class PublishedRange {
 public:
  void publish(TextRange r) {
    begin_.store(r.begin, std::memory_order_relaxed);
    size_.store(r.end - r.begin, std::memory_order_release);
  }
  bool contains(uintptr_t pc) const {
    uintptr_t size = size_.load(std::memory_order_acquire);
    return pc - begin_.load(std::memory_order_relaxed) < size;
  }
  TextRange get() const {
    uintptr_t size = size_.load(std::memory_order_acquire);
    uintptr_t begin = begin_.load(std::memory_order_relaxed);
    return TextRange{begin, begin + size};
  }

 private:
  std::atomic<uintptr_t> begin_{0};
  std::atomic<uintptr_t> size_{0};
};

}  // namespace contend::preload
