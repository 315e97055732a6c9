#include "record/record_semaphore.h"

#include "base/real_functions.h"
#include "record/acquisition.h"
#include "record/timeout_args.h"
#include "record/wait_algorithm.h"

#include <pthread.h>
#include <cerrno>

namespace contend::preload {

namespace {

constexpr auto kKind = format::WaitKind::kSemaphore;

// A semaphore for the wait algorithm (wait_algorithm.h): failures in errno.
struct SemaphoreOps {
  using Result = int;
  static constexpr bool kReportsErrno = true;
  static constexpr bool kCancellable = true;
  sem_t* s;

  const void* lock() const { return s; }
  static constexpr format::WaitKind kind() { return kKind; }
  static uint32_t owner() { return 0; }
  static const void* related() { return nullptr; }
  int try_once() const { return real().sem_trywait(s); }
  static TryOutcome after_try(int rc) {
    if (rc == 0) return TryOutcome::kAcquired;
    // EINVAL: not a semaphore; let the real call say so itself.
    return errno == EAGAIN ? TryOutcome::kMustWait : TryOutcome::kForward;
  }
  static WaitOutcome after_wait(int rc) {
    if (rc == 0) return WaitOutcome::kAcquired;
    if (errno == ETIMEDOUT) return WaitOutcome::kTimedOut;
    return errno == EINTR ? WaitOutcome::kInterrupted : WaitOutcome::kNoWait;  // EINTR: it did wait
  }
};

}  // namespace

int sem_wait(ThreadState& t, sem_t* s) {
  // glibc's sem_wait acts on a pending cancellation before it tries (POSIX:
  // it "shall" be a cancellation point); our try must not take the
  // semaphore first. sem_clockwait does not (glibc 2.36), nor do we there.
  pthread_testcancel();
  return try_then_wait(t, SemaphoreOps{s}, [s] { return real().sem_wait(s); });
}

int sem_timedwait(ThreadState& t, sem_t* s, const timespec* abstime) {
  // glibc checks the timeout before trying: so must we.
  if (!abstime_args_valid(CLOCK_REALTIME, abstime)) return real().sem_timedwait(s, abstime);
  pthread_testcancel();  // after the timeout's check, as glibc does (see sem_wait)
  return try_then_wait(t, SemaphoreOps{s}, [s, abstime] { return real().sem_timedwait(s, abstime); });
}

int sem_clockwait(ThreadState& t, sem_t* s, clockid_t clock, const timespec* abstime) {
  if (!abstime_args_valid(clock, abstime)) return real().sem_clockwait(s, clock, abstime);
  return try_then_wait(t, SemaphoreOps{s},
                       [s, clock, abstime] { return real().sem_clockwait(s, clock, abstime); });
}

int sem_trywait(ThreadState& t, sem_t* s) {
  return try_recorded(t, SemaphoreOps{s});
}

int sem_post(ThreadState& t, sem_t* s) {
  Release release(s);  // the poster is who the waiters waited for
  int rc = real().sem_post(s);
  ScopedErrno result_errno;
  if (rc == 0) {
    count_wake(t, s, kKind);
    release.record(t, kKind);
  }
  return rc;
}

}  // namespace contend::preload
