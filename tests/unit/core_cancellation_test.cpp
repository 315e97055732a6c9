// Waits that are cancellation points, cancelled: glibc unwinds the thread
// through the recorder's frames. The waiter must not stay registered with
// the lock, or every later release is charged phantom waiting.
#include "core/record/lock_registry.h"
#include "core/record/record_condvar.h"
#include "core/record/record_semaphore.h"
#include "session_test.h"

#include <gtest/gtest.h>

#include <pthread.h>
#include <semaphore.h>
#include <atomic>
#include <chrono>
#include <thread>

namespace contend::preload {
namespace {

using namespace std::chrono_literals;
using testing::as_recorded_thread;

using CoreCancellationTest = testing::SessionTest;

uint32_t waiters_of(const void* lock) {
  const LockEntry* e = lock_registry().find(lock);
  return e == nullptr ? 0 : e->waiters.load();
}

// Blocks until `lock` has `n` registered waiters (the waiter is inside the
// real wait, or about to be).
void await_waiters(const void* lock, uint32_t n) {
  while (waiters_of(lock) != n) std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(20ms);  // into the blocking call itself
}

// Starts `body` on a raw pthread (std::thread would be fine too, but this
// is exactly what a C program does), cancels it once `lock` has a waiter,
// and says whether the thread ended by cancellation.
template <typename Body>
bool cancel_while_waiting(const void* lock, Body body) {
  pthread_t th;
  auto* heap_body = new Body(body);
  int rc = pthread_create(
      &th, nullptr,
      [](void* p) -> void* {
        auto* b = static_cast<Body*>(p);
        (*b)();
        return nullptr;
      },
      heap_body);
  EXPECT_EQ(rc, 0);
  await_waiters(lock, 1);
  EXPECT_EQ(pthread_cancel(th), 0);
  void* result = nullptr;
  EXPECT_EQ(pthread_join(th, &result), 0);
  delete heap_body;
  return result == PTHREAD_CANCELED;
}

TEST_F(CoreCancellationTest, CancelledSemWaitLeavesNoWaiterAndChargesNoPhantomWait) {
  sem_t s;
  sem_init(&s, 0, 0);
  bool cancelled =
      cancel_while_waiting(&s, [&] { as_recorded_thread([&](ThreadState& t) { return sem_wait(t, &s); }); });
  EXPECT_TRUE(cancelled);
  EXPECT_EQ(waiters_of(&s), 0u) << "the cancelled waiter is still registered";
  // Nobody waits now: these releases cause no waiting at all.
  std::this_thread::sleep_for(50ms);
  as_recorded_thread([&](ThreadState& t) { return sem_post(t, &s); });
  std::this_thread::sleep_for(50ms);
  as_recorded_thread([&](ThreadState& t) { return sem_post(t, &s); });
  analyze::Report r = finish();
  ASSERT_EQ(r.locks.size(), 1u);
  EXPECT_EQ(r.locks[0].caused_ns, 0u);
  EXPECT_TRUE(r.locks[0].holder_sites.empty());
  // The cancelled wait itself is a wait that did not acquire.
  EXPECT_EQ(r.locks[0].waits, 1u);
  EXPECT_EQ(r.locks[0].counts.contended, 0u);
  EXPECT_EQ(r.locks[0].counts.wakes, 2u);
  sem_destroy(&s);
}

TEST_F(CoreCancellationTest, CancelledTimedSemWaitsLeaveNoWaiter) {
  sem_t s;
  sem_init(&s, 0, 0);
  timespec far{};
  clock_gettime(CLOCK_REALTIME, &far);
  far.tv_sec += 60;
  EXPECT_TRUE(cancel_while_waiting(
      &s, [&] { as_recorded_thread([&](ThreadState& t) { return sem_timedwait(t, &s, &far); }); }));
  EXPECT_EQ(waiters_of(&s), 0u);
  timespec far_mono{};
  clock_gettime(CLOCK_MONOTONIC, &far_mono);
  far_mono.tv_sec += 60;
  EXPECT_TRUE(cancel_while_waiting(&s, [&] {
    as_recorded_thread([&](ThreadState& t) { return sem_clockwait(t, &s, CLOCK_MONOTONIC, &far_mono); });
  }));
  EXPECT_EQ(waiters_of(&s), 0u);
  std::this_thread::sleep_for(30ms);
  as_recorded_thread([&](ThreadState& t) { return sem_post(t, &s); });
  analyze::Report r = finish();
  ASSERT_EQ(r.locks.size(), 1u);
  EXPECT_EQ(r.locks[0].caused_ns, 0u);
  EXPECT_EQ(r.locks[0].waits, 2u);
  sem_destroy(&s);
}

// A condition wait registers no waiter, but it is a cancellation point too:
// the unwind must pass (running the thread's own cleanup handlers, which
// unlock the mutex glibc took back for them), and the wait is recorded as
// not completed.
TEST_F(CoreCancellationTest, CancelledConditionWaitIsRecordedAsNotCompleted) {
  static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
  static std::atomic<bool> waiting{false};
  pthread_t th;
  ASSERT_EQ(pthread_create(
                &th, nullptr,
                [](void*) -> void* {
                  pthread_mutex_lock(&m);
                  waiting = true;
                  pthread_cleanup_push([](void*) { pthread_mutex_unlock(&m); }, nullptr);
                  as_recorded_thread([&](ThreadState& t) { return cond_wait(t, &c, &m); });
                  pthread_cleanup_pop(1);
                  return nullptr;
                },
                nullptr),
            0);
  while (!waiting) std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(20ms);
  ASSERT_EQ(pthread_cancel(th), 0);
  void* result = nullptr;
  ASSERT_EQ(pthread_join(th, &result), 0);
  EXPECT_EQ(result, PTHREAD_CANCELED);
  // The cleanup handler ran: the mutex is free.
  EXPECT_EQ(pthread_mutex_trylock(&m), 0);
  EXPECT_EQ(pthread_mutex_unlock(&m), 0);
  analyze::Report r = finish();
  EXPECT_TRUE(r.locks.empty());
  ASSERT_EQ(r.cond_waits.size(), 1u);
  EXPECT_EQ(r.cond_waits[0].waits, 1u);  // it waited, and did not complete
  EXPECT_EQ(r.cond_waits[0].counts.acquisitions, 0u);
}

}  // namespace
}  // namespace contend::preload
