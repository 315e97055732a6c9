// Futexes through syscall(): the recorder must give exactly the kernel's
// answer, and never touch a futex word the kernel has not validated.
#include "core/record/record_futex.h"
#include "read/trace_reader.h"
#include "session_test.h"

#include <gtest/gtest.h>

#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <thread>
#include <vector>

#ifndef FUTEX_LOCK_PI2
#define FUTEX_LOCK_PI2 13
#endif

namespace contend::preload {
namespace {

using testing::as_recorded_thread;

using CoreFutexTest = testing::SessionTest;

struct Outcome {
  long rc;
  int error;
};

Outcome plain(long word, long op) {
  errno = 0;
  long rc = syscall(SYS_futex, word, op, 0, 0, 0, 0);
  return {rc, errno};
}

Outcome recorded(long word, long op) {
  errno = 0;
  long rc = as_recorded_thread([&](ThreadState& t) { return futex_syscall(t, word, op, 0, 0, 0, 0); });
  return {rc, errno};
}

// An address no user mapping can ever cover: the kernel's half.
constexpr long kKernelAddress = static_cast<long>(0xffff800000000000ull);

TEST_F(CoreFutexTest, PriorityInheritanceLockOnABadAddressFailsWithEfaultLikeTheKernel) {
  void* no_access = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(no_access, MAP_FAILED);
  for (long word : {0L, 8L, kKernelAddress, reinterpret_cast<long>(no_access)}) {
    for (long op : {long{FUTEX_LOCK_PI}, long{FUTEX_LOCK_PI | FUTEX_PRIVATE_FLAG}, long{FUTEX_LOCK_PI2}}) {
      Outcome expected = plain(word, op);
      Outcome got = recorded(word, op);
      EXPECT_EQ(got.rc, expected.rc) << "word " << word << " op " << op;
      EXPECT_EQ(got.error, expected.error) << "word " << word << " op " << op;
      EXPECT_EQ(got.rc, -1);
      EXPECT_EQ(got.error, EFAULT);
    }
  }
  munmap(no_access, 4096);
}

TEST_F(CoreFutexTest, PriorityInheritanceLockOfAFreeWordTakesIt) {
  alignas(4) uint32_t word = 0;
  Outcome got = recorded(reinterpret_cast<long>(&word), FUTEX_LOCK_PI_PRIVATE);
  EXPECT_EQ(got.rc, 0);
  EXPECT_EQ(word & FUTEX_TID_MASK, static_cast<uint32_t>(gettid()));
  EXPECT_EQ(syscall(SYS_futex, &word, FUTEX_UNLOCK_PI_PRIVATE, 0, 0, 0, 0), 0);
}

// A held PI futex: the lock call waits for the holder, and is recorded.
TEST_F(CoreFutexTest, PriorityInheritanceWaitForAHolderIsRecorded) {
  alignas(4) static uint32_t word = 0;
  std::atomic<uint32_t> owner{0};
  std::atomic<bool> release{false};
  std::thread holder([&] {
    uint32_t tid = static_cast<uint32_t>(gettid());
    uint32_t expected = 0;
    ASSERT_TRUE(
        __atomic_compare_exchange_n(&word, &expected, tid, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
    owner = tid;
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    // Waiters set FUTEX_WAITERS: the kernel hands the word over.
    expected = tid;
    if (!__atomic_compare_exchange_n(&word, &expected, 0, false, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
      syscall(SYS_futex, &word, FUTEX_UNLOCK_PI_PRIVATE, 0, 0, 0, 0);
  });
  while (owner == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    release = true;
  });
  Outcome got = recorded(reinterpret_cast<long>(&word), FUTEX_LOCK_PI_PRIVATE);
  EXPECT_EQ(got.rc, 0);
  holder.join();
  releaser.join();
  EXPECT_EQ(syscall(SYS_futex, &word, FUTEX_UNLOCK_PI_PRIVATE, 0, 0, 0, 0), 0);
  session::stop(format::FooterReason::kExit);
  analyze::TraceReader reader(path);
  reader.open();
  std::vector<format::WaitRecord> waits;
  reader.read([&](const analyze::RecordView& v) {
    if (v.kind == format::RecordKind::kWait) waits.push_back(v.as<format::WaitRecord>());
  });
  ASSERT_EQ(waits.size(), 1u);
  EXPECT_EQ(waits[0].lock, reinterpret_cast<uint64_t>(&word));
  EXPECT_EQ(waits[0].flags, 0u);  // acquired
  EXPECT_GT(waits[0].duration, 0u);
}

}  // namespace
}  // namespace contend::preload
