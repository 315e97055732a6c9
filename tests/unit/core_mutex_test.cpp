// The recorder core in-process, without LD_PRELOAD: exact counts for mutex
// acquisitions, waits and the return codes the real functions give.
#include "core/base/recorder_settings.h"
#include "core/record/acquisition.h"
#include "core/record/record_mutex.h"
#include "read/trace_reader.h"
#include "session_test.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <thread>
#include <vector>

#include <sys/single_threaded.h>
#include <unistd.h>

namespace contend::preload {
namespace {

using namespace std::chrono_literals;
using testing::as_recorded_thread;

using CoreMutexTest = testing::SessionTest;

int lock(pthread_mutex_t* m) {
  return as_recorded_thread([&](ThreadState& t) { return mutex_lock(t, m); });
}
int trylock(pthread_mutex_t* m) {
  return as_recorded_thread([&](ThreadState& t) { return mutex_trylock(t, m); });
}
int unlock(pthread_mutex_t* m) {
  return as_recorded_thread([&](ThreadState& t) { return mutex_unlock(t, m); });
}

TEST_F(CoreMutexTest, UncontendedAcquisitionsAreCountedWithoutWaits) {
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(lock(&m), 0);
    ASSERT_EQ(unlock(&m), 0);
  }
  analyze::Report r = finish();
  ASSERT_EQ(r.locks.size(), 1u);
  EXPECT_EQ(r.locks[0].address, reinterpret_cast<uint64_t>(&m));
  EXPECT_EQ(r.locks[0].counts.acquisitions, 100u);
  EXPECT_EQ(r.locks[0].counts.contended, 0u);
  EXPECT_EQ(r.locks[0].waits, 0u);
  EXPECT_EQ(r.summary.dropped_events, 0u);
}

// Round i: the holder locks and says so (3i+1); the waiter says it is about
// to block (3i+2) and locks; the holder sleeps 20 ms and unlocks; the waiter
// gets the lock, unlocks and says it is done (3i+3).
TEST_F(CoreMutexTest, HandedOverMutexRecordsEachWaitWithItsOwner) {
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  std::atomic<int> phase{0};
  constexpr int kRounds = 3;
  auto await = [&](int value) {
    while (phase.load() != value) std::this_thread::yield();
  };
  std::thread waiter([&] {
    for (int i = 0; i < kRounds; ++i) {
      await(3 * i + 1);
      phase.store(3 * i + 2);
      EXPECT_EQ(lock(&m), 0);
      EXPECT_EQ(unlock(&m), 0);
      phase.store(3 * i + 3);
    }
  });
  for (int i = 0; i < kRounds; ++i) {
    ASSERT_EQ(lock(&m), 0);
    phase.store(3 * i + 1);
    await(3 * i + 2);
    std::this_thread::sleep_for(20ms);
    ASSERT_EQ(unlock(&m), 0);
    await(3 * i + 3);
  }
  waiter.join();
  analyze::Report r = finish();
  ASSERT_EQ(r.locks.size(), 1u);
  EXPECT_EQ(r.locks[0].counts.acquisitions, 2u * kRounds);
  EXPECT_EQ(r.locks[0].counts.contended, static_cast<uint64_t>(kRounds));
  EXPECT_EQ(r.locks[0].waits, static_cast<uint64_t>(kRounds));
  EXPECT_GE(r.locks[0].wait_min_ns, 19'000'000u);
  EXPECT_EQ(r.summary.threads, 2u);
}

TEST_F(CoreMutexTest, BusyTrylockIsCountedAsAFailureNotAnAcquisition) {
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  std::atomic<bool> held{false}, done{false};
  std::thread other([&] {
    pthread_mutex_lock(&m);
    held = true;
    while (!done) std::this_thread::yield();
    pthread_mutex_unlock(&m);
  });
  while (!held) std::this_thread::yield();
  EXPECT_EQ(trylock(&m), EBUSY);
  EXPECT_EQ(trylock(&m), EBUSY);
  done = true;
  other.join();
  EXPECT_EQ(trylock(&m), 0);
  EXPECT_EQ(unlock(&m), 0);
  analyze::Report r = finish();
  ASSERT_EQ(r.locks.size(), 1u);
  EXPECT_EQ(r.locks[0].counts.trylock_failures, 2u);
  EXPECT_EQ(r.locks[0].counts.acquisitions, 1u);
  EXPECT_EQ(r.locks[0].counts.contended, 0u);
}

TEST_F(CoreMutexTest, ErrorCheckingSelfLockReturnsEdeadlkAndIsNotContention) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_t m;
  pthread_mutex_init(&m, &attr);
  ASSERT_EQ(lock(&m), 0);
  errno = 1234;
  EXPECT_EQ(lock(&m), EDEADLK);
  EXPECT_EQ(errno, 1234);
  EXPECT_EQ(unlock(&m), 0);
  analyze::Report r = finish();
  ASSERT_EQ(r.locks.size(), 1u);
  EXPECT_EQ(r.locks[0].counts.acquisitions, 1u);
  EXPECT_EQ(r.locks[0].counts.contended, 0u);
  pthread_mutex_destroy(&m);
}

TEST_F(CoreMutexTest, RecursiveMutexCountsEveryLevel) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_t m;
  pthread_mutex_init(&m, &attr);
  for (int i = 0; i < 5; ++i) ASSERT_EQ(lock(&m), 0);
  for (int i = 0; i < 5; ++i) ASSERT_EQ(unlock(&m), 0);
  analyze::Report r = finish();
  ASSERT_EQ(r.locks.size(), 1u);
  EXPECT_EQ(r.locks[0].counts.acquisitions, 5u);
  pthread_mutex_destroy(&m);
}

TEST_F(CoreMutexTest, RobustMutexOfADeadOwnerReturnsEownerdeadAndCounts) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
  pthread_mutex_t m;
  pthread_mutex_init(&m, &attr);
  std::thread([&] { pthread_mutex_lock(&m); }).join();  // dies holding it
  EXPECT_EQ(lock(&m), EOWNERDEAD);
  EXPECT_EQ(pthread_mutex_consistent(&m), 0);
  EXPECT_EQ(unlock(&m), 0);
  EXPECT_EQ(lock(&m), 0);
  EXPECT_EQ(unlock(&m), 0);
  analyze::Report r = finish();
  ASSERT_EQ(r.locks.size(), 1u);
  EXPECT_EQ(r.locks[0].counts.acquisitions, 2u);
  pthread_mutex_destroy(&m);
}

TEST_F(CoreMutexTest, GrowingLockTableKeepsEveryCountExact) {
  // Started again with a table that may grow from 64 to 1024 slots.
  session::stop(format::FooterReason::kExit);
  std::string grown = dir.file("grown.trace");
  preload::Config config = testing::test_config(grown);
  config.lock_slots_max = 1024;
  testing::start_session(config);
  static pthread_mutex_t locks[600];
  for (auto& m : locks) pthread_mutex_init(&m, nullptr);
  for (int round = 0; round < 3; ++round) {
    for (auto& m : locks) {
      ASSERT_EQ(lock(&m), 0);
      ASSERT_EQ(unlock(&m), 0);
    }
  }
  session::stop(format::FooterReason::kExit);
  analyze::Report r = testing::read_report(grown);
  ASSERT_EQ(r.locks.size(), 600u);
  for (const auto& row : r.locks) EXPECT_EQ(row.counts.acquisitions, 3u) << row.name;
  EXPECT_EQ(r.summary.dropped_events, 0u);
}

TEST_F(CoreMutexTest, FullLockTableSpillsAndKeepsEveryCountExact) {
  // The test table has 64 slots and spills at 3/4: 200 locks force spills.
  static pthread_mutex_t locks[200];
  for (auto& m : locks) pthread_mutex_init(&m, nullptr);
  for (int round = 0; round < 3; ++round) {
    for (auto& m : locks) {
      ASSERT_EQ(lock(&m), 0);
      ASSERT_EQ(unlock(&m), 0);
    }
    session::drain_now();  // make room in the 64 KiB ring for the spills
  }
  analyze::Report r = finish();
  ASSERT_EQ(r.locks.size(), 200u);
  for (const auto& row : r.locks) EXPECT_EQ(row.counts.acquisitions, 3u) << row.name;
  EXPECT_EQ(r.summary.counts.acquisitions, 600u);
  EXPECT_EQ(r.summary.dropped_events, 0u);
}

TEST_F(CoreMutexTest, RingOverflowDropsAreExactlyProducedMinusWritten) {
  // No drain runs (flush_ms = 0): the 64 KiB ring fills up after about a
  // thousand waits; the rest must be counted as dropped, exactly, and the
  // footer must name the thread.
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  constexpr uint64_t kWaits = 5000;
  as_recorded_thread([&](ThreadState& t) {
    for (uint64_t i = 0; i < kWaits; ++i)
      WaitInProgress(t, &m, format::WaitKind::kMutex).finish(preload::WaitOutcome::kAcquired);
    return 0;
  });
  analyze::Report r = finish();
  ASSERT_EQ(r.locks.size(), 1u);
  EXPECT_EQ(r.locks[0].counts.contended, kWaits);  // counted in the table, not the ring
  EXPECT_GT(r.locks[0].waits, 900u);
  EXPECT_LT(r.locks[0].waits, 1100u);
  EXPECT_EQ(r.summary.dropped_events, kWaits - r.locks[0].waits);
  ASSERT_EQ(r.processes.size(), 1u);
  ASSERT_EQ(r.processes[0].thread_drops.size(), 1u);
  EXPECT_EQ(r.processes[0].thread_drops[0].first, static_cast<uint32_t>(gettid()));
  EXPECT_EQ(r.processes[0].thread_drops[0].second, kWaits - r.locks[0].waits);
}

std::atomic<int> g_trylock_calls{0};
int counting_trylock(pthread_mutex_t* m) noexcept {
  ++g_trylock_calls;
  return ::pthread_mutex_trylock(m);
}

// The child's checks, as the exit code's bits: 1 not single-threaded, 2 a
// private mutex was tried first, 4 the shared ones were not, 8 a
// result or count is wrong.
int lock_kinds_single_threaded(const std::string& path) {
  if (__libc_single_threaded == 0) return 1;
  g_real_functions.mutex_trylock = &counting_trylock;
  // Private: the default, each type set explicitly (NORMAL gains glibc's
  // no-elision bit), priority-inheriting. Then the two glibc marks as
  // shared: robust (whatever the attribute says) and process-shared.
  constexpr size_t kPrivate = 6;
  std::vector<pthread_mutex_t> mutexes(kPrivate + 2);
  const int types[] = {-1, PTHREAD_MUTEX_NORMAL, PTHREAD_MUTEX_RECURSIVE, PTHREAD_MUTEX_ERRORCHECK,
                       PTHREAD_MUTEX_ADAPTIVE_NP};
  int failures = 0;
  for (size_t i = 0; i < mutexes.size(); ++i) {
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    if (i >= 1 && i <= 4) pthread_mutexattr_settype(&a, types[i]);
    if (i == 5) pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
    if (i == kPrivate) pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    if (i == kPrivate + 1) pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(&mutexes[i], &a);
    for (int n = 0; n < 10; ++n) {
      if (lock(&mutexes[i]) != 0 || unlock(&mutexes[i]) != 0) failures |= 8;
    }
    if (i < kPrivate && g_trylock_calls != 0) failures |= 2;
  }
  if (g_trylock_calls != 20) failures |= 4;
  // An error-checking mutex locked again by its owner: EDEADLK, not counted.
  if (lock(&mutexes[3]) != 0 || lock(&mutexes[3]) != EDEADLK || unlock(&mutexes[3]) != 0) failures |= 8;
  session::stop(format::FooterReason::kExit);
  analyze::Report r = testing::read_report(path);
  if (r.locks.size() != mutexes.size()) return failures | 8;
  for (const auto& row : r.locks) {
    uint64_t expected = row.address == reinterpret_cast<uint64_t>(&mutexes[3]) ? 11 : 10;
    if (row.counts.acquisitions != expected || row.waits != 0) failures |= 8;
  }
  return failures;
}

// While the process has one thread, glibc locks a private mutex without
// an atomic instruction; the recorder calls that lock
// directly instead of trying first with the atomic trylock. The child is a
// fresh process (the threadsafe death-test style re-runs the binary), so it
// has one thread whatever tests ran before.
TEST_F(CoreMutexTest, SingleThreadedPrivateMutexesAreLockedWithoutATry) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(_exit(lock_kinds_single_threaded(path)), ::testing::ExitedWithCode(0), "");
}

// The interposer's frameless path: a mutex that cannot fail or wait while
// the process has one thread (normal and adaptive kinds, private) is
// counted before the real lock, when its slot is the one at hand and no
// hold is due; anything else is left to the full hook (false, nothing
// counted).
int sure_path_single_threaded(const std::string& path) {
  if (__libc_single_threaded == 0) return 1;
  int failures = 0;
  auto make = [](int type, int pshared) {
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    if (type >= 0) pthread_mutexattr_settype(&a, type);
    pthread_mutexattr_setpshared(&a, pshared);
    pthread_mutex_t m;
    pthread_mutex_init(&m, &a);
    return m;
  };
  pthread_mutex_t normal = make(PTHREAD_MUTEX_NORMAL, PTHREAD_PROCESS_PRIVATE);
  pthread_mutex_t plain = make(-1, PTHREAD_PROCESS_PRIVATE);
  pthread_mutex_t adaptive = make(PTHREAD_MUTEX_ADAPTIVE_NP, PTHREAD_PROCESS_PRIVATE);
  pthread_mutex_t recursive = make(PTHREAD_MUTEX_RECURSIVE, PTHREAD_PROCESS_PRIVATE);
  pthread_mutex_t errorcheck = make(PTHREAD_MUTEX_ERRORCHECK, PTHREAD_PROCESS_PRIVATE);
  pthread_mutex_t shared = make(-1, PTHREAD_PROCESS_SHARED);
  if (!lock_cannot_fail_or_wait(&normal) || !lock_cannot_fail_or_wait(&plain) ||
      !lock_cannot_fail_or_wait(&adaptive))
    failures |= 2;
  if (lock_cannot_fail_or_wait(&recursive) || lock_cannot_fail_or_wait(&errorcheck) ||
      lock_cannot_fail_or_wait(&shared))
    failures |= 4;
  // The first acquisition goes the full way (the slot is not at hand yet);
  // then 100 through the frameless count, each site the one given.
  if (lock(&plain) != 0 || unlock(&plain) != 0) failures |= 8;
  int sure = 0;
  for (int i = 0; i < 100; ++i) {
    bool counted =
        as_recorded_thread([&](ThreadState& t) { return count_sure_acquisition(t, 0x1234, &plain); });
    if (counted) {
      ++sure;
    } else if (lock(&plain) != 0) {  // a hold was due: the full hook's turn
      failures |= 8;
    }
    if (counted && (pthread_mutex_lock(&plain) != 0)) failures |= 8;
    if (pthread_mutex_unlock(&plain) != 0) failures |= 8;
  }
  if (sure < 90) failures |= 16;
  session::stop(format::FooterReason::kExit);
  analyze::Report r = testing::read_report(path);
  if (r.locks.size() != 1 || r.locks[0].counts.acquisitions != 101) failures |= 32;
  return failures;
}

TEST_F(CoreMutexTest, SingleThreadedSureLocksAreCountedBeforeTheLock) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(_exit(sure_path_single_threaded(path)), ::testing::ExitedWithCode(0), "");
}

TEST_F(CoreMutexTest, SampledHoldsAreRecordedOncTheProcessIsMultiThreaded) {
  session::stop(format::FooterReason::kExit);
  std::string p2 = dir.file("holds.trace");
  preload::Config config = testing::test_config(p2);
  config.hold_sample = 1;
  config.hold_rate = 100000000;  // no rate cap: every hold is timed
  testing::start_session(config);
  // Holds matter only when someone else could wait: another thread exists.
  std::atomic<bool> stop{false};
  std::thread other([&] {
    while (!stop) std::this_thread::yield();
  });
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  for (int i = 0; i < 10; ++i) {
    lock(&m);
    unlock(&m);
  }
  stop = true;
  other.join();
  session::stop(format::FooterReason::kExit);
  analyze::TraceReader reader(p2);
  reader.open();
  int holds = 0;
  reader.read([&](const analyze::RecordView& v) { holds += v.kind == format::RecordKind::kHold; });
  EXPECT_EQ(holds, 10);
}

}  // namespace
}  // namespace contend::preload
