// Caches of adjacency lists in front of the slow backing store, both behind
// one reader-writer lock (std::shared_mutex), read-mostly by design.
//
//   LruNodeCache    exact LRU: a hit moves the node to the front of a list,
//                   so even a read takes the lock for writing (the problem)
//   ClockNodeCache  CLOCK eviction: a hit only sets the node's referenced
//                   bit (an atomic), so a read takes the lock for reading;
//                   only misses write, and only if the lock is free at
//                   once (the fix)
//
// Both return the same answers; only which nodes get evicted differs.
#pragma once

#include "graph.h"

#include <atomic>
#include <list>
#include <memory>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

namespace graph_cache {

class NodeCache {
 public:
  virtual ~NodeCache() = default;
  // The node's neighbours, from the cache or loaded and inserted.
  virtual std::vector<NodeId> neighbors(NodeId node) = 0;
  virtual uint64_t misses() const = 0;
};

class LruNodeCache final : public NodeCache {
 public:
  LruNodeCache(size_t capacity, NodeId nodes) : capacity_(capacity), nodes_(nodes) {}
  std::vector<NodeId> neighbors(NodeId node) override;
  uint64_t misses() const override { return misses_.load(std::memory_order_relaxed); }

 private:
  struct Entry {
    NodeId node;
    std::vector<NodeId> neighbors;
  };
  bool lookup(NodeId node, std::vector<NodeId>& out);
  void insert(NodeId node, const std::vector<NodeId>& neighbors);

  const size_t capacity_;
  const NodeId nodes_;
  std::shared_mutex mu_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<NodeId, std::list<Entry>::iterator> index_;
  std::atomic<uint64_t> misses_{0};
};

class ClockNodeCache final : public NodeCache {
 public:
  ClockNodeCache(size_t capacity, NodeId nodes);
  std::vector<NodeId> neighbors(NodeId node) override;
  uint64_t misses() const override { return misses_.load(std::memory_order_relaxed); }

 private:
  struct Slot {
    NodeId node = 0;
    bool used = false;
    std::atomic<bool> referenced{false};
    std::vector<NodeId> neighbors;
  };
  bool lookup(NodeId node, std::vector<NodeId>& out);
  void insert(NodeId node, const std::vector<NodeId>& neighbors);
  size_t victim();

  const NodeId nodes_;
  std::shared_mutex mu_;
  std::vector<Slot> slots_;
  std::unordered_map<NodeId, size_t> index_;
  size_t hand_ = 0;
  size_t filled_ = 0;
  std::atomic<uint64_t> misses_{0};
};

}  // namespace graph_cache
