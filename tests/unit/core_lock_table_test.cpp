// A thread's lock table under keys that collide: more distinct locks share
// one probe window than the window holds, even after the table has grown to
// its maximum. Every lock operation must still work; what the table cannot
// track is counted, exactly, and the report says so.
#include "core/record/record_mutex.h"
#include "core/thread/lock_table.h"
#include "render/render.h"
#include "test_session.h"

#include <gtest/gtest.h>

#include <pthread.h>
#include <vector>

namespace contend::preload {
namespace {

using testing::as_recorded_thread;

// Mutexes placed where their keys all start probing at the same slot of a
// `capacity`-slot table (and so of every smaller one).
std::vector<pthread_mutex_t*> colliding_mutexes(size_t count, uint32_t capacity) {
  alignas(64) static unsigned char arena[4u << 20];
  std::vector<pthread_mutex_t*> out;
  uint32_t target = 0;
  bool have_target = false;
  for (size_t off = 0; off + 64 <= sizeof(arena) && out.size() < count; off += 64) {
    auto* m = reinterpret_cast<pthread_mutex_t*>(arena + off);
    uint32_t home = LockTable::home_index(LockTable::make_key(m, format::WaitKind::kMutex), capacity);
    if (!have_target) {
      target = home;
      have_target = true;
    }
    if (home != target) continue;
    pthread_mutex_init(m, nullptr);
    out.push_back(m);
  }
  return out;
}

TEST(CoreLockTableTest, CollidingLocksBeyondTheProbeWindowAreCountedAsUntracked) {
  testing::TempDir dir;
  std::string path = dir.file("collide.trace");
  Config config = testing::test_config(path);
  config.lock_slots = 64;
  config.lock_slots_max = 128;  // one growth, then no more
  testing::start_session(config);
  constexpr size_t kLocks = LockTable::kMaxProbes + 4;
  constexpr int kRounds = 3;
  std::vector<pthread_mutex_t*> locks = colliding_mutexes(kLocks, config.lock_slots_max);
  ASSERT_EQ(locks.size(), kLocks);
  for (int round = 0; round < kRounds; ++round) {
    for (pthread_mutex_t* m : locks) {
      ASSERT_EQ(as_recorded_thread([&](ThreadState& t) { return mutex_lock(t, m); }), 0);
      // The lock really is held: nobody else gets it.
      ASSERT_EQ(pthread_mutex_trylock(m), EBUSY);
      ASSERT_EQ(as_recorded_thread([&](ThreadState& t) { return mutex_unlock(t, m); }), 0);
      ASSERT_EQ(pthread_mutex_trylock(m), 0);
      ASSERT_EQ(pthread_mutex_unlock(m), 0);
    }
  }
  session::stop(format::FooterReason::kExit);
  analyze::Report r = testing::read_report(path);
  // The window holds kMaxProbes of them; the rest could not be tracked.
  ASSERT_EQ(r.locks.size(), LockTable::kMaxProbes);
  for (const auto& row : r.locks)
    EXPECT_EQ(row.counts.acquisitions, static_cast<uint64_t>(kRounds)) << row.name;
  EXPECT_EQ(r.summary.counts.acquisitions, LockTable::kMaxProbes * kRounds);
  EXPECT_EQ(r.summary.untracked_acquisitions, (kLocks - LockTable::kMaxProbes) * kRounds);
  EXPECT_EQ(r.summary.dropped_events, 0u);
  std::string table = analyze::render_table(r, analyze::RenderOptions{});
  EXPECT_NE(table.find("12 acquisitions not tracked"), std::string::npos) << table;
}

TEST(CoreLockTableTest, AFullTableAtItsMaximumStillSpillsWithoutLosingCounts) {
  // Not collisions but plain fullness: the spill path stays exact and
  // nothing is counted as untracked.
  testing::TempDir dir;
  std::string path = dir.file("full.trace");
  testing::start_session(testing::test_config(path));
  static pthread_mutex_t locks[100];
  for (auto& m : locks) pthread_mutex_init(&m, nullptr);
  for (int round = 0; round < 2; ++round) {
    for (auto& m : locks) {
      ASSERT_EQ(as_recorded_thread([&](ThreadState& t) { return mutex_lock(t, &m); }), 0);
      ASSERT_EQ(as_recorded_thread([&](ThreadState& t) { return mutex_unlock(t, &m); }), 0);
    }
    session::drain_now();
  }
  session::stop(format::FooterReason::kExit);
  analyze::Report r = testing::read_report(path);
  ASSERT_EQ(r.locks.size(), 100u);
  EXPECT_EQ(r.summary.counts.acquisitions, 200u);
  EXPECT_EQ(r.summary.untracked_acquisitions, 0u);
  std::string table = analyze::render_table(r, analyze::RenderOptions{});
  EXPECT_EQ(table.find("not tracked"), std::string::npos);
}

}  // namespace
}  // namespace contend::preload
