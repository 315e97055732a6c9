// kvstore: a key-value store served by a thread pool, with a lock problem
// inside: by default one mutex around the whole map, behind a pool whose
// queue is one mutex and condition variable.
//
//   kvstore [--engine global|sharded|rwlock] [--pool shared|stealing]
//           [--threads N] [--workload read|write|mixed] [--batches N]
//   kvstore --scaling [same options]   # throughput at 1, 2, 4 ... 2 x cores
//
// Prints requests per second and checks every read.
#include "engine.h"
#include "thread_pool.h"
#include "workload.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

namespace {

using namespace kvstore;

struct Options {
  std::string engine = "global";
  std::string pool = "shared";
  std::string workload = "mixed";
  size_t threads = 2 * std::max(1u, std::thread::hardware_concurrency());
  size_t batches = 600;
  bool scaling = false;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(
      stderr,
      "kvstore: %s\nusage: kvstore [--scaling] [--engine global|sharded|rwlock] [--pool shared|stealing]\n"
      "               [--threads N] [--workload read|write|mixed] [--batches N]\n",
      why);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value for " + a).c_str());
      return argv[++i];
    };
    if (a == "--engine") {
      o.engine = value();
    } else if (a == "--pool") {
      o.pool = value();
    } else if (a == "--workload") {
      o.workload = value();
    } else if (a == "--threads") {
      o.threads = std::strtoul(value().c_str(), nullptr, 10);
    } else if (a == "--batches") {
      o.batches = std::strtoul(value().c_str(), nullptr, 10);
    } else if (a == "--scaling") {
      o.scaling = true;
    } else {
      usage(("unknown argument " + a).c_str());
    }
  }
  if (o.threads == 0 || o.batches == 0) usage("--threads and --batches must be positive");
  return o;
}

// Requests per second for one configuration; exits on a wrong result.
double measure(const Options& o, size_t threads) {
  auto engine = make_engine(o.engine);
  auto pool = make_pool(o.pool, threads);
  auto w = workload_named(o.workload);
  if (!engine) usage("unknown engine");
  if (!pool) usage("unknown pool");
  if (!w) usage("unknown workload");
  populate(*engine, *w);
  double busy = 0;
  size_t wrong = 0;
  for (size_t b = 0; b < o.batches; ++b) {
    std::vector<Request> batch = make_batch(*w, b);
    auto start = std::chrono::steady_clock::now();
    run_batch(*engine, *pool, batch);
    busy += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    wrong += wrong_results(batch);
  }
  if (wrong != 0) {
    std::fprintf(stderr, "kvstore: %zu reads returned a wrong value\n", wrong);
    std::exit(1);
  }
  return static_cast<double>(o.batches * w->batch) / busy;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  if (!o.scaling) {
    double rate = measure(o, o.threads);
    std::printf("kvstore: engine %s, pool %s, %zu threads, workload %s: %zu requests, every read correct\n",
                o.engine.c_str(), o.pool.c_str(), o.threads, o.workload.c_str(), o.batches * 1000);
    std::fprintf(stderr, "kvstore: %.0f requests/s\n", rate);
    return 0;
  }
  std::printf("engine %s, pool %s, workload %s\n%8s %14s %8s %11s\n", o.engine.c_str(), o.pool.c_str(),
              o.workload.c_str(), "threads", "requests/s", "speedup", "efficiency");
  double base = 0;
  size_t cores = std::max(1u, std::thread::hardware_concurrency());
  for (size_t t = 1; t <= 2 * cores; t *= 2) {
    double rate = measure(o, t);
    if (t == 1) base = rate;
    double speedup = rate / base;
    std::printf("%8zu %14.0f %7.2fx %10.0f%%\n", t, rate, speedup, 100.0 * speedup / static_cast<double>(t));
  }
  return 0;
}
