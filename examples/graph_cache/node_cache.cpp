#include "node_cache.h"

#include <mutex>

namespace graph_cache {

// noinline throughout: each step is a frame of its own in profiles.

__attribute__((noinline)) bool LruNodeCache::lookup(NodeId node, std::vector<NodeId>& out) {
  // Moving the hit to the front changes the list: exclusive, on every read.
  std::unique_lock<std::shared_mutex> guard(mu_);
  auto it = index_.find(node);
  if (it == index_.end()) return false;
  order_.splice(order_.begin(), order_, it->second);
  out = it->second->neighbors;
  return true;
}

__attribute__((noinline)) void LruNodeCache::insert(NodeId node, const std::vector<NodeId>& neighbors) {
  std::unique_lock<std::shared_mutex> guard(mu_);
  if (index_.count(node) != 0) return;  // another thread loaded it first
  if (index_.size() >= capacity_) {
    index_.erase(order_.back().node);
    order_.pop_back();
  }
  order_.push_front(Entry{node, neighbors});
  index_.emplace(node, order_.begin());
}

std::vector<NodeId> LruNodeCache::neighbors(NodeId node) {
  std::vector<NodeId> out;
  if (lookup(node, out)) return out;
  misses_.fetch_add(1, std::memory_order_relaxed);
  out = load_neighbors(node, nodes_);  // slow, outside the lock
  insert(node, out);
  return out;
}

ClockNodeCache::ClockNodeCache(size_t capacity, NodeId nodes) : nodes_(nodes), slots_(capacity) {
  index_.reserve(capacity);
}

__attribute__((noinline)) bool ClockNodeCache::lookup(NodeId node, std::vector<NodeId>& out) {
  // A hit only sets an atomic bit: shared, so readers run side by side.
  std::shared_lock<std::shared_mutex> guard(mu_);
  auto it = index_.find(node);
  if (it == index_.end()) return false;
  Slot& s = slots_[it->second];
  s.referenced.store(true, std::memory_order_relaxed);
  out = s.neighbors;
  return true;
}

size_t ClockNodeCache::victim() {
  if (filled_ < slots_.size()) return filled_++;
  for (;;) {  // second chance: skip (and clear) recently referenced slots
    Slot& s = slots_[hand_];
    size_t at = hand_;
    hand_ = (hand_ + 1) % slots_.size();
    if (!s.referenced.exchange(false, std::memory_order_relaxed)) return at;
  }
}

__attribute__((noinline)) void ClockNodeCache::insert(NodeId node, const std::vector<NodeId>& neighbors) {
  // Best effort: while readers hold the lock, a reader-preferring rwlock
  // (glibc's default) can keep a writer out for milliseconds. Skipping the
  // insert costs one more miss later; waiting would cost this query now.
  std::unique_lock<std::shared_mutex> guard(mu_, std::try_to_lock);
  if (!guard.owns_lock() || index_.count(node) != 0) return;
  size_t at = victim();
  Slot& s = slots_[at];
  if (s.used) index_.erase(s.node);
  s.node = node;
  s.used = true;
  s.referenced.store(true, std::memory_order_relaxed);
  s.neighbors = neighbors;
  index_.emplace(node, at);
}

std::vector<NodeId> ClockNodeCache::neighbors(NodeId node) {
  std::vector<NodeId> out;
  if (lookup(node, out)) return out;
  misses_.fetch_add(1, std::memory_order_relaxed);
  out = load_neighbors(node, nodes_);
  insert(node, out);
  return out;
}

}  // namespace graph_cache
