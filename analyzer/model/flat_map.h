// An open-addressing hash map from 64-bit integer keys, for the analyzer's
// per-event lookups (stack id, call site). Linear probing in one array, no
// node allocations, no deletion: several times faster than
// std::unordered_map at the sizes a trace has (a few to a few thousand keys
// per lock).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace contend::analyze {

template <typename Value>
class FlatMap {
 public:
  Value& operator[](uint64_t key) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    size_t i = index_of(key);
    Slot& s = slots_[i];
    if (!s.used) {
      s.used = true;
      s.key = key;
      ++size_;
    }
    return s.value;
  }

  const Value* find(uint64_t key) const {
    if (slots_.empty()) return nullptr;
    const Slot& s = slots_[index_of(key)];
    return s.used ? &s.value : nullptr;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  template <typename Fn>
  void for_each(Fn&& fn) const {
    for (const Slot& s : slots_)
      if (s.used) fn(s.key, s.value);
  }

 private:
  struct Slot {
    uint64_t key = 0;
    bool used = false;
    Value value{};
  };

  static uint64_t mix(uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return k;
  }

  // The slot holding `key`, or the empty slot where it belongs.
  size_t index_of(uint64_t key) const {
    size_t mask = slots_.size() - 1;
    size_t i = mix(key) & mask;
    while (slots_[i].used && slots_[i].key != key) i = (i + 1) & mask;
    return i;
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 8 : old.size() * 2, Slot{});
    for (Slot& s : old) {
      if (!s.used) continue;
      Slot& d = slots_[index_of(s.key)];
      d = std::move(s);
    }
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
};

}  // namespace contend::analyze
