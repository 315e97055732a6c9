// graph_cache: a read-mostly graph service. Threads answer queries ("score
// the neighbourhood of node N") through a cache of adjacency lists in front
// of a slow backing store; most queries hit a small hot set of nodes.
//
//   graph_cache [--fixed] [THREADS [QUERIES [NODES]]]   (default: 4 800000 200000)
//
// The default cache keeps exact LRU order, so every hit takes the
// reader-writer lock for writing; --fixed runs the CLOCK cache whose hits
// take it for reading. The output (query count, checksum) is deterministic
// and the same for both; the timing line on stderr is not.
#include "graph.h"
#include "node_cache.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace graph_cache;

struct Options {
  bool fixed = false;
  size_t threads = 4;
  size_t queries = 800000;
  NodeId nodes = 200000;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr, "graph_cache: %s\nusage: graph_cache [--fixed] [THREADS [QUERIES [NODES]]]\n", why);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  std::vector<size_t> numbers;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--fixed") == 0) {
      o.fixed = true;
      continue;
    }
    char* end = nullptr;
    unsigned long long v = std::strtoull(argv[i], &end, 10);
    if (end == argv[i] || *end != '\0' || v == 0)
      usage(("not a positive number: " + std::string(argv[i])).c_str());
    numbers.push_back(static_cast<size_t>(v));
  }
  if (numbers.size() > 3) usage("too many arguments");
  if (numbers.size() > 0) o.threads = numbers[0];
  if (numbers.size() > 1) o.queries = numbers[1];
  if (numbers.size() > 2) o.nodes = static_cast<NodeId>(numbers[2]);
  if (o.nodes < 100) usage("NODES must be at least 100");
  return o;
}

// 499 queries in 500 go to the hottest 2% of nodes (which the cache,
// holding 5%, keeps); the rest spread over the whole graph and mostly miss.
NodeId pick(std::mt19937_64& rng, NodeId nodes) {
  NodeId hot = nodes / 50;
  return rng() % 500 != 0 ? static_cast<NodeId>(rng() % hot) : static_cast<NodeId>(rng() % nodes);
}

uint64_t serve(NodeCache& cache, size_t queries, NodeId nodes, unsigned seed) {
  std::mt19937_64 rng(seed);
  uint64_t sum = 0;
  for (size_t q = 0; q < queries; ++q) sum += score(cache.neighbors(pick(rng, nodes)));
  return sum;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  std::unique_ptr<NodeCache> cache;
  size_t capacity = o.nodes / 20;
  if (o.fixed) {
    cache = std::make_unique<ClockNodeCache>(capacity, o.nodes);
  } else {
    cache = std::make_unique<LruNodeCache>(capacity, o.nodes);
  }
  // Warmed before serving, as a service is before it takes traffic.
  for (NodeId n = 0; n < o.nodes / 50; ++n) cache->neighbors(n);
  uint64_t warm_misses = cache->misses();
  std::vector<uint64_t> sums(o.threads);
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (size_t t = 0; t < o.threads; ++t)
    threads.emplace_back(
        [&, t] { sums[t] = serve(*cache, o.queries, o.nodes, static_cast<unsigned>(t + 1)); });
  for (auto& t : threads) t.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  uint64_t checksum = 0;
  for (uint64_t s : sums) checksum += s;
  std::printf("graph_cache: %zu threads x %zu queries over %u nodes: checksum %llu\n", o.threads, o.queries,
              o.nodes, static_cast<unsigned long long>(checksum));
  std::fprintf(stderr, "graph_cache (%s cache): %.3f s, %.2f M queries/s, %.1f%% misses\n",
               o.fixed ? "clock" : "lru", seconds, static_cast<double>(o.threads * o.queries) / seconds / 1e6,
               100.0 * static_cast<double>(cache->misses() - warm_misses) /
                   static_cast<double>(o.threads * o.queries));
  return 0;
}
