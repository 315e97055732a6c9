// Lock micro-benchmarks, run as a plain program and again under
// libcontend.so by bench/run_bench.py, which reports the ratio of the two.
// Every case is a pthread call pattern a real program makes; nothing here
// knows about contend.
#include <benchmark/benchmark.h>

#include <pthread.h>

#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

namespace {

pthread_mutex_t g_mutex = PTHREAD_MUTEX_INITIALIZER;
pthread_rwlock_t g_rwlock = PTHREAD_RWLOCK_INITIALIZER;
pthread_spinlock_t g_spin;
long g_counter;

// One uncontended lock/unlock pair (single thread).
void BM_MutexPair(benchmark::State& state) {
  for (auto _ : state) {
    pthread_mutex_lock(&g_mutex);
    benchmark::DoNotOptimize(++g_counter);
    pthread_mutex_unlock(&g_mutex);
  }
}
BENCHMARK(BM_MutexPair);

void BM_RwlockReadPair(benchmark::State& state) {
  for (auto _ : state) {
    pthread_rwlock_rdlock(&g_rwlock);
    benchmark::DoNotOptimize(g_counter);
    pthread_rwlock_unlock(&g_rwlock);
  }
}
BENCHMARK(BM_RwlockReadPair);

void BM_SpinlockPair(benchmark::State& state) {
  if (state.thread_index() == 0) pthread_spin_init(&g_spin, PTHREAD_PROCESS_PRIVATE);
  for (auto _ : state) {
    pthread_spin_lock(&g_spin);
    benchmark::DoNotOptimize(++g_counter);
    pthread_spin_unlock(&g_spin);
  }
}
BENCHMARK(BM_SpinlockPair);

// Four threads on one mutex, tiny critical section: ns per operation.
void BM_MutexContended(benchmark::State& state) {
  for (auto _ : state) {
    pthread_mutex_lock(&g_mutex);
    benchmark::DoNotOptimize(++g_counter);
    pthread_mutex_unlock(&g_mutex);
  }
}
BENCHMARK(BM_MutexContended)->Threads(4)->UseRealTime();

// Four threads, 90% reads and 10% writes on one rwlock.
void BM_Rwlock9010(benchmark::State& state) {
  unsigned i = static_cast<unsigned>(state.thread_index());
  for (auto _ : state) {
    if (++i % 10 == 0) {
      pthread_rwlock_wrlock(&g_rwlock);
      benchmark::DoNotOptimize(++g_counter);
    } else {
      pthread_rwlock_rdlock(&g_rwlock);
      benchmark::DoNotOptimize(g_counter);
    }
    pthread_rwlock_unlock(&g_rwlock);
  }
}
BENCHMARK(BM_Rwlock9010)->Threads(4)->UseRealTime();

}  // namespace

// --idle-thread: start a thread that only sleeps, so that glibc runs its
// multi-threaded lock paths even in the single-threaded cases (and the
// profiler times holds, which it skips while a program has one thread).
int main(int argc, char** argv) {
  std::vector<char*> args;
  bool idle_thread = false;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--idle-thread") == 0) {
      idle_thread = true;
    } else {
      args.push_back(argv[i]);
    }
  }
  if (idle_thread) {
    std::thread([] {
      for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
    }).detach();
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
