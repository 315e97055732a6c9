// Which frames are lock wrappers: the default list, --wrapper patterns, and
// thin wrappers learned from the trace (small, no unlock in their code, and
// named for locking or reached from several callers).
#include "symbolize/lock_wrappers.h"

#include <gtest/gtest.h>

namespace contend::analyze {
namespace {

FrameRole role_of(LockWrappers& w, const std::string& function, const std::string& module = "app") {
  return w.role(FrameFacts{function, module, function, 0, false, std::nullopt});
}

TEST(LockWrappers, StandardLibrariesAndRuntimesAreListed) {
  LockWrappers w;
  EXPECT_EQ(role_of(w, "pthread_mutex_lock", "libc.so.6"), FrameRole::kPrimitive);
  EXPECT_EQ(role_of(w, "anything", "libcontend.so"), FrameRole::kPrimitive);
  EXPECT_EQ(role_of(w, "std::lock<std::mutex, std::mutex>"), FrameRole::kLock);
  EXPECT_EQ(role_of(w, "std::scoped_lock<std::mutex, std::mutex>::scoped_lock"), FrameRole::kLock);
  EXPECT_EQ(role_of(w, "std::condition_variable::wait"), FrameRole::kEvent);
  EXPECT_EQ(role_of(w, "std::__detail::__platform_wait<int>"), FrameRole::kEither);
  EXPECT_EQ(role_of(w, "<std::sys::sync::mutex::futex::Mutex>::lock_contended"), FrameRole::kLock);
  EXPECT_EQ(role_of(w, "<std::sys::sync::once::futex::Once>::call"), FrameRole::kEvent);
  EXPECT_EQ(role_of(w, "PyThread_acquire_lock_timed", "python3.11"), FrameRole::kEither);
  EXPECT_EQ(role_of(w, "uv_mutex_lock", "node"), FrameRole::kLock);
  EXPECT_EQ(role_of(w, "Mutex::lock_contended_for", "libjvm.so"), FrameRole::kLock);
  // Standard library plumbing that only carries the user's code is not a wrapper,
  // even when the user's code is named for locking.
  EXPECT_EQ(role_of(w, "std::__invoke_impl<void, lock_all()::{lambda()#1}>"), FrameRole::kUser);
  EXPECT_EQ(role_of(w, "std::chrono::_V2::steady_clock::now"), FrameRole::kUser);
  EXPECT_EQ(role_of(w, "transfer"), FrameRole::kUser);
}

TEST(LockWrappers, UserPatternsAddWrappers) {
  LockWrappers w(WrapperOptions{{"possess", "app::Pool::*"}, false});
  EXPECT_EQ(role_of(w, "possess"), FrameRole::kEither);
  EXPECT_EQ(role_of(w, "app::Pool::take"), FrameRole::kEither);
  EXPECT_EQ(role_of(w, "app::Pool::lock_slab"), FrameRole::kLock);
  EXPECT_EQ(role_of(w, "ns::possess"), FrameRole::kEither);  // the last part of a name
  EXPECT_EQ(role_of(w, "dispossess"), FrameRole::kUser);
}

FrameFacts facts(const std::string& name, uint64_t size, std::optional<bool> releases) {
  static std::string module = "app";
  return FrameFacts{name, module, name, size, false, releases};
}

TEST(LockWrappers, ThinWrappersAreLearnedFromTheirCallers) {
  static const std::string take = "take", bump = "bump", big = "process", lock_it = "lock_it",
                           opaque = "opaque", make_lock = "make_heap_lock";
  LockWrappers w;
  // Reached from three callers, small, no unlock: a wrapper.
  for (const char* caller : {"alpha", "beta", "gamma"}) w.observe(facts(take, 40, false), caller, true);
  // Small and reached from two callers, but it unlocks: a critical section.
  for (const char* caller : {"alpha", "beta"}) w.observe(facts(bump, 60, true), caller, true);
  // Two callers, no unlock, but large: it does more than forward.
  for (const char* caller : {"alpha", "beta"}) w.observe(facts(big, 4000, false), caller, true);
  // One caller, but named for locking.
  w.observe(facts(lock_it, 40, false), "alpha", true);
  // Named for locking, but where a lock was created, from one caller: a
  // lock factory names the lock it makes.
  w.observe(facts(make_lock, 40, false), "main", false);
  // Two callers, small, but its code could not be read.
  for (const char* caller : {"alpha", "beta"}) w.observe(facts(opaque, 40, std::nullopt), caller, true);
  EXPECT_TRUE(w.learn());
  EXPECT_EQ(w.role(facts(take, 40, false)), FrameRole::kEither);
  EXPECT_EQ(w.role(facts(lock_it, 40, false)), FrameRole::kLock);
  EXPECT_EQ(w.role(facts(bump, 60, true)), FrameRole::kUser);
  EXPECT_EQ(w.role(facts(big, 4000, false)), FrameRole::kUser);
  EXPECT_EQ(w.role(facts(opaque, 40, std::nullopt)), FrameRole::kUser);
  EXPECT_EQ(w.role(facts(make_lock, 40, false)), FrameRole::kUser);
  EXPECT_FALSE(w.learn());
}

TEST(LockWrappers, ReleasesAreRecognisedByName) {
  EXPECT_TRUE(is_release_function("pthread_mutex_unlock"));
  EXPECT_TRUE(is_release_function("sem_post"));
  EXPECT_TRUE(is_release_function("rocksdb::port::Mutex::Unlock"));
  EXPECT_TRUE(is_release_function("rocksdb::MutexLock::~MutexLock"));
  EXPECT_FALSE(is_release_function("pthread_mutex_lock"));
  EXPECT_FALSE(is_release_function("abort"));
}

}  // namespace
}  // namespace contend::analyze
