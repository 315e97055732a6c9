// A successful lock call leaves errno as the caller had it, whatever the
// recorder does behind it the first time (a lock's birth and its stack, a
// table that grows, a hold that ends, a release that is charged).
#include "core/record/record_condvar.h"
#include "core/record/record_mutex.h"
#include "core/record/record_rwlock.h"
#include "core/record/record_semaphore.h"
#include "core/record/record_spinlock.h"
#include "test_session.h"

#include <gtest/gtest.h>

#include <semaphore.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace contend::preload {
namespace {

using testing::as_recorded_thread;

constexpr int kSentinel = 4242;

class CoreErrnoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Config config = testing::test_config(path);
    config.lock_slots = 64;
    config.lock_slots_max = 1u << 16;  // grows many times over 5000 locks
    config.hold_sample = 1;
    config.hold_rate = 100000000;
    config.ring_kib = 4096;
    testing::start_session(config);
  }
  void TearDown() override { session::stop(format::FooterReason::kExit); }

  // Runs one recorded call with errno at the sentinel; it must return 0 and
  // leave the sentinel.
  template <typename Fn>
  void expect_kept(const std::string& what, Fn&& fn) {
    errno = kSentinel;
    int rc = as_recorded_thread([&](ThreadState& t) { return fn(t); });
    int after = errno;
    EXPECT_EQ(rc, 0) << what;
    EXPECT_EQ(after, kSentinel) << what;
  }

  testing::TempDir dir;
  std::string path = dir.file("errno.trace");
};

TEST_F(CoreErrnoTest, SuccessfulCallsKeepTheCallersErrno) {
  pthread_mutex_t first = PTHREAD_MUTEX_INITIALIZER;
  expect_kept("first lock of the process", [&](ThreadState& t) { return mutex_lock(t, &first); });
  expect_kept("first unlock", [&](ThreadState& t) { return mutex_unlock(t, &first); });
  // Holds are timed (and their ends recorded) once there is a second thread.
  std::atomic<bool> stop{false};
  std::thread other([&] {
    while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  });
  static pthread_mutex_t locks[5000];
  for (auto& m : locks) {
    expect_kept("init", [&](ThreadState& t) { return mutex_init(t, &m, nullptr); });
    expect_kept("lock of a distinct lock", [&](ThreadState& t) { return mutex_lock(t, &m); });
    expect_kept("its unlock", [&](ThreadState& t) { return mutex_unlock(t, &m); });
  }
  pthread_mutex_t after = PTHREAD_MUTEX_INITIALIZER;
  expect_kept("first lock after 5000 locks", [&](ThreadState& t) { return mutex_lock(t, &after); });
  expect_kept("its unlock", [&](ThreadState& t) { return mutex_unlock(t, &after); });

  pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
  pthread_spinlock_t spin;
  pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
  sem_t sem;
  sem_init(&sem, 0, 0);
  pthread_mutex_t cm = PTHREAD_MUTEX_INITIALIZER;
  pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
  for (int i = 0; i < 40; ++i) {
    expect_kept("rdlock", [&](ThreadState& t) { return rwlock_rdlock(t, &rw); });
    expect_kept("unlock (read)", [&](ThreadState& t) { return rwlock_unlock(t, &rw); });
    expect_kept("wrlock", [&](ThreadState& t) { return rwlock_wrlock(t, &rw); });
    expect_kept("unlock (write)", [&](ThreadState& t) { return rwlock_unlock(t, &rw); });
    expect_kept("spin_lock", [&](ThreadState& t) { return spin_lock(t, &spin); });
    expect_kept("spin_unlock", [&](ThreadState& t) { return spin_unlock(t, &spin); });
    expect_kept("sem_post", [&](ThreadState& t) { return sem_post(t, &sem); });
    expect_kept("sem_wait", [&](ThreadState& t) { return sem_wait(t, &sem); });
    expect_kept("cond_signal", [&](ThreadState& t) { return cond_signal(t, &cond); });
    expect_kept("cond_broadcast", [&](ThreadState& t) { return cond_broadcast(t, &cond); });
    expect_kept("lock for a condition", [&](ThreadState& t) { return mutex_lock(t, &cm); });
    expect_kept("unlock for a condition", [&](ThreadState& t) { return mutex_unlock(t, &cm); });
  }
  stop = true;
  other.join();
}

}  // namespace
}  // namespace contend::preload
