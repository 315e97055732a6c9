// The recorder's own costs, in-process (no LD_PRELOAD): one stack capture
// at several depths, and one recorded wait with and without a stack.
#include "core/base/recorder_settings.h"
#include "core/record/acquisition.h"
#include "core/record/stack_capture.h"
#include "core/record/stack_memo.h"
#include "core/record/unwinder.h"
#include "test_session.h"

#include <benchmark/benchmark.h>

#include <pthread.h>
#include <string>

namespace {

using namespace contend;

// A call chain of `depth` frames above the measured call, as in a program.
template <typename Fn>
__attribute__((noinline)) void nest(int depth, Fn&& fn) {
  if (depth == 0) {
    fn();
  } else {
    nest(depth - 1, fn);
  }
  benchmark::ClobberMemory();
}

void BM_CaptureStack(benchmark::State& state) {
  std::string error;
  if (!preload::load_unwinder(&error)) state.SkipWithError(error.c_str());
  preload::g_settings.stack_depth = static_cast<uint32_t>(state.range(0));
  uint64_t frames[format::kMaxStackDepth];
  nest(12, [&] {
    for (auto _ : state) benchmark::DoNotOptimize(preload::capture_stack(frames, format::kMaxStackDepth, 1));
  });
}
BENCHMARK(BM_CaptureStack)->Arg(0)->Arg(4)->Arg(16)->Arg(32);

// A whole recorded wait (clock reads, registration, stack, WAIT record) on
// a lock nobody holds, drained every 1000 waits. Arguments: the stack depth,
// and whether the stack memo may reuse the walk (1, as in a program that
// waits again from the same place) or every wait walks (0).
void BM_RecordedWait(benchmark::State& state) {
  testing::TempDir dir;
  preload::Config config = testing::test_config(dir.file("bench.trace"));
  config.stack_depth = static_cast<uint32_t>(state.range(0));
  config.ring_kib = 1024;
  testing::start_session(config);
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  nest(12, [&] {
    testing::as_recorded_thread([&](preload::ThreadState& t) {
      preload::StackMemo* memo = t.stack_memo;
      if (state.range(1) == 0) t.stack_memo = nullptr;
      uint64_t n = 0;
      for (auto _ : state) {
        preload::WaitInProgress(t, &m, format::WaitKind::kMutex).finish(preload::WaitOutcome::kAcquired);
        if (++n % 1000 == 0) {
          state.PauseTiming();
          preload::session::drain_now();
          state.ResumeTiming();
        }
      }
      t.stack_memo = memo;
      return 0;
    });
  });
  preload::session::stop(format::FooterReason::kExit);
}
BENCHMARK(BM_RecordedWait)->Args({0, 0})->Args({16, 0})->Args({16, 1});

}  // namespace

BENCHMARK_MAIN();
