#include "workload.h"

#include <random>

namespace kvstore {

std::optional<Workload> workload_named(std::string_view name) {
  if (name == "read") return Workload{"read", 90};
  if (name == "write") return Workload{"write", 10};
  if (name == "mixed") return Workload{"mixed", 50};
  return std::nullopt;
}

namespace {
std::string key_name(size_t i) {
  return "user:" + std::to_string(i);
}
}  // namespace

void populate(Engine& engine, const Workload& w) {
  for (size_t i = 0; i < w.keys; ++i) engine.put(key_name(i), value_of(key_name(i)));
}

std::vector<Request> make_batch(const Workload& w, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Request> batch(w.batch);
  for (Request& r : batch) {
    r.read = static_cast<int>(rng() % 100) < w.read_percent;
    r.key = key_name(rng() % w.keys);
  }
  return batch;
}

namespace {

// What a server does around the store: parse the request, build the reply.
// A few microseconds of work outside any lock.
__attribute__((noinline)) uint64_t parse_and_reply(const std::string& key) {
  uint64_t h = 1469598103934665603ull;
  for (int round = 0; round < 160; ++round)
    for (char c : key)
      h = (h ^ static_cast<unsigned char>(c) ^ static_cast<uint64_t>(round)) * 1099511628211ull;
  return h;
}

}  // namespace

void run_batch(Engine& engine, ThreadPool& pool, std::vector<Request>& batch) {
  for (Request& r : batch) {
    pool.submit([&engine, &r] {
      r.checksum = parse_and_reply(r.key);
      if (r.read) {
        r.result = engine.get(r.key);
      } else {
        engine.put(r.key, value_of(r.key));
      }
    });
  }
  pool.wait_idle();
}

size_t wrong_results(const std::vector<Request>& batch) {
  size_t wrong = 0;
  for (const Request& r : batch)
    if (r.read && r.result != value_of(r.key)) ++wrong;
  return wrong;
}

}  // namespace kvstore
