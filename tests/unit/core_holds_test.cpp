// Sampled holds of locks taken recursively by one thread: a hold lasts from
// the outermost acquisition to the outermost release, whatever happens in
// between.
#include "core/record/record_mutex.h"
#include "core/record/record_rwlock.h"
#include "test_session.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace contend::preload {
namespace {

using namespace std::chrono_literals;
using testing::as_recorded_thread;

constexpr uint64_t kHoldNs = 5'000'000;
constexpr int kRounds = 5;

class CoreHoldsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Config config = testing::test_config(path);
    config.hold_sample = 1;
    config.hold_rate = 100000000;  // no rate cap: every outermost hold is timed
    testing::start_session(config);
    // Holds are timed only once another thread could wait.
    other = std::thread([this] {
      while (!stop) std::this_thread::sleep_for(1ms);
    });
  }
  void TearDown() override {
    stop = true;
    if (other.joinable()) other.join();
    session::stop(format::FooterReason::kExit);
  }

  analyze::Report finish() {
    stop = true;
    other.join();
    session::stop(format::FooterReason::kExit);
    return testing::read_report(path);
  }

  testing::TempDir dir;
  std::string path = dir.file("holds.trace");
  std::atomic<bool> stop{false};
  std::thread other;
};

template <typename Fn>
int rec(Fn&& fn) {
  return as_recorded_thread([&](ThreadState& t) { return fn(t); });
}

void expect_outermost_holds(const analyze::LockRow& row) {
  EXPECT_EQ(row.hold.samples, static_cast<uint64_t>(kRounds));
  EXPECT_GE(row.hold.p50_ns, kHoldNs * 9 / 10) << "an inner release ended the hold";
  EXPECT_GE(row.hold.max_ns, kHoldNs * 9 / 10);
}

TEST_F(CoreHoldsTest, RecursiveMutexHoldEndsAtTheOutermostUnlock) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_t m;
  pthread_mutex_init(&m, &attr);
  for (int i = 0; i < kRounds; ++i) {
    ASSERT_EQ(rec([&](ThreadState& t) { return mutex_lock(t, &m); }), 0);
    ASSERT_EQ(rec([&](ThreadState& t) { return mutex_lock(t, &m); }), 0);
    ASSERT_EQ(rec([&](ThreadState& t) { return mutex_trylock(t, &m); }), 0);
    ASSERT_EQ(rec([&](ThreadState& t) { return mutex_unlock(t, &m); }), 0);
    ASSERT_EQ(rec([&](ThreadState& t) { return mutex_unlock(t, &m); }), 0);
    std::this_thread::sleep_for(std::chrono::nanoseconds(kHoldNs));
    ASSERT_EQ(rec([&](ThreadState& t) { return mutex_unlock(t, &m); }), 0);
  }
  analyze::Report r = finish();
  ASSERT_EQ(r.locks.size(), 1u);
  EXPECT_EQ(r.locks[0].counts.acquisitions, 3u * kRounds);  // every level still counts
  expect_outermost_holds(r.locks[0]);
  pthread_mutex_destroy(&m);
}

TEST_F(CoreHoldsTest, NestedReadLockHoldEndsAtTheOutermostUnlock) {
  pthread_rwlock_t l = PTHREAD_RWLOCK_INITIALIZER;
  for (int i = 0; i < kRounds; ++i) {
    ASSERT_EQ(rec([&](ThreadState& t) { return rwlock_rdlock(t, &l); }), 0);
    ASSERT_EQ(rec([&](ThreadState& t) { return rwlock_rdlock(t, &l); }), 0);
    ASSERT_EQ(rec([&](ThreadState& t) { return rwlock_tryrdlock(t, &l); }), 0);
    ASSERT_EQ(rec([&](ThreadState& t) { return rwlock_unlock(t, &l); }), 0);
    ASSERT_EQ(rec([&](ThreadState& t) { return rwlock_unlock(t, &l); }), 0);
    std::this_thread::sleep_for(std::chrono::nanoseconds(kHoldNs));
    ASSERT_EQ(rec([&](ThreadState& t) { return rwlock_unlock(t, &l); }), 0);
  }
  // Write holds are not nested: each is its own.
  for (int i = 0; i < kRounds; ++i) {
    ASSERT_EQ(rec([&](ThreadState& t) { return rwlock_wrlock(t, &l); }), 0);
    std::this_thread::sleep_for(std::chrono::nanoseconds(kHoldNs));
    ASSERT_EQ(rec([&](ThreadState& t) { return rwlock_unlock(t, &l); }), 0);
  }
  analyze::Report r = finish();
  ASSERT_EQ(r.locks.size(), 2u);
  for (const auto& row : r.locks) {
    SCOPED_TRACE(format::wait_kind_name(row.kind));
    EXPECT_EQ(row.counts.acquisitions,
              row.kind == format::WaitKind::kRwlockRead ? 3u * kRounds : 1u * kRounds);
    expect_outermost_holds(row);
  }
}

// A plain mutex is never nested: back-to-back holds are each timed.
TEST_F(CoreHoldsTest, PlainMutexHoldsAreEachTimed) {
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  for (int i = 0; i < kRounds; ++i) {
    ASSERT_EQ(rec([&](ThreadState& t) { return mutex_lock(t, &m); }), 0);
    std::this_thread::sleep_for(std::chrono::nanoseconds(kHoldNs));
    ASSERT_EQ(rec([&](ThreadState& t) { return mutex_unlock(t, &m); }), 0);
  }
  analyze::Report r = finish();
  ASSERT_EQ(r.locks.size(), 1u);
  expect_outermost_holds(r.locks[0]);
}

}  // namespace
}  // namespace contend::preload
