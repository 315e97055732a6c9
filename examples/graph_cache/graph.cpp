#include "graph.h"

namespace graph_cache {

namespace {
uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  return x ^ (x >> 33);
}
}  // namespace

__attribute__((noinline)) std::vector<NodeId> load_neighbors(NodeId node, NodeId nodes) {
  // Degree 8 to 39; the extra rounds stand for decoding a record from disk.
  uint64_t h = mix(node + 1);
  size_t degree = 8 + h % 32;
  std::vector<NodeId> out;
  out.reserve(degree);
  for (size_t i = 0; i < degree; ++i) {
    for (int round = 0; round < 16; ++round) h = mix(h + static_cast<uint64_t>(round));
    out.push_back(static_cast<NodeId>(h % nodes));
  }
  return out;
}

__attribute__((noinline)) uint64_t score(const std::vector<NodeId>& neighbors) {
  uint64_t s = 0;
  for (NodeId n : neighbors) s += mix(n) % 1000;
  return s;
}

}  // namespace graph_cache
