// The backing store of the graph: a node's adjacency list, as a slow read
// from disk would return it. Deterministic, so every answer can be checked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace graph_cache {

using NodeId = uint32_t;

// Neighbours of a node, loaded the slow way (a few microseconds): what a
// cache miss costs.
std::vector<NodeId> load_neighbors(NodeId node, NodeId nodes);

// What a query computes from a node's neighbours (outside any lock).
uint64_t score(const std::vector<NodeId>& neighbors);

}  // namespace graph_cache
