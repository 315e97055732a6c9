// Google Benchmark suite: every pool and engine, reads and writes, at pool
// sizes 1, 2, 4 ... 2 x cores. One iteration is one batch of 1000 requests;
// building the store and the pool, and checking every result, happen
// outside the timed region.
#include "engine.h"
#include "thread_pool.h"
#include "workload.h"

#include <benchmark/benchmark.h>

#include <string>
#include <thread>

namespace {

using namespace kvstore;

void run(benchmark::State& state, const std::string& pool_name, const std::string& engine_name,
         const std::string& workload) {
  auto engine = make_engine(engine_name);
  auto pool = make_pool(pool_name, static_cast<size_t>(state.range(0)));
  Workload w = *workload_named(workload);
  populate(*engine, w);
  uint64_t seed = 0;
  size_t wrong = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<Request> batch = make_batch(w, seed++);
    state.ResumeTiming();
    run_batch(*engine, *pool, batch);
    state.PauseTiming();
    wrong += wrong_results(batch);
    state.ResumeTiming();
  }
  if (wrong != 0) state.SkipWithError("reads returned wrong values");
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * w.batch));
}

}  // namespace

int main(int argc, char** argv) {
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (const char* pool : {"shared", "stealing"}) {
    for (const char* engine : {"global", "sharded", "rwlock"}) {
      for (const char* workload : {"read", "write"}) {
        std::string name = std::string("kvstore/") + pool + "/" + engine + "/" + workload;
        auto* b = benchmark::RegisterBenchmark(name.c_str(),
                                               [=](benchmark::State& s) { run(s, pool, engine, workload); });
        for (int t = 1; t <= 2 * cores; t *= 2) b->Arg(t);
        b->ArgName("threads")->UseRealTime()->Unit(benchmark::kMicrosecond);
      }
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
