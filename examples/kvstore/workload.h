// Client requests in batches of 1000: a mix of reads and writes over a key
// space, submitted as tasks to a pool, with every result checked after the
// batch (outside anything timed).
#pragma once

#include "engine.h"
#include "thread_pool.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kvstore {

struct Workload {
  std::string name;
  int read_percent = 50;
  size_t keys = 10000;
  size_t batch = 1000;
};

// "read" (90% reads), "write" (10% reads), "mixed" (50/50); nullopt else.
std::optional<Workload> workload_named(std::string_view name);

// Every key, written once: reads never miss.
void populate(Engine& engine, const Workload& w);

struct Request {
  bool read = true;
  std::string key;
  std::optional<std::string> result;  // reads only
  uint64_t checksum = 0;              // of the reply, built outside the store
};

// A batch of requests, deterministic for a seed.
std::vector<Request> make_batch(const Workload& w, uint64_t seed);

// Submits every request, waits for all of them.
void run_batch(Engine& engine, ThreadPool& pool, std::vector<Request>& batch);

// Reads whose result is not the key's value (0 when all is well).
size_t wrong_results(const std::vector<Request>& batch);

}  // namespace kvstore
