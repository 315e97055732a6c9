// Entry guard for every interposed function (forward() is the preload
// library's: the real functions, resolved on first use):
//
//   const auto& next = forward();               // boots on first use
//   HookScope scope;
//   if (!scope) return next.mutex_lock(m);      // forward untouched
//   return mutex_lock(*scope.thread(), m);      // record
//
// A scope is "off" when recording is off, when the thread must not record
// (our own threads, refused or exited ones), or when the thread is already
// inside a hook: a signal handler that locks while its thread is in our code,
// or a lock taken by something we call, is forwarded and never recorded.
#pragma once

#include "base/errno_guard.h"
#include "process/session.h"
#include "thread/current_thread.h"
#include "thread/thread_state.h"

namespace contend::preload {

class HookScope {
 public:
  HookScope() : thread_(enter()) {}
  ~HookScope() {
    if (thread_ != nullptr) {
      __atomic_signal_fence(__ATOMIC_SEQ_CST);
      thread_->in_hook = false;
    }
  }
  HookScope(const HookScope&) = delete;
  HookScope& operator=(const HookScope&) = delete;

  explicit operator bool() const { return thread_ != nullptr; }
  ThreadState* thread() const { return thread_; }

 private:
  static ThreadState* enter() {
    if (!g_recording.load(std::memory_order_relaxed)) [[unlikely]]
      return nullptr;
    ThreadState* t = tls_thread;
    if (t == nullptr) [[unlikely]] {
      t = attach();
      if (t == nullptr) return nullptr;
    } else if (t == kDetached || t->in_hook) [[unlikely]] {
      return nullptr;
    }
    t->in_hook = true;
    // Keep the flag store ahead of the work it guards, as a signal sees it.
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    return t;
  }

  // Out of line: saving errno around the call here would cost every hook
  // registers on its fast path.
  [[gnu::noinline, gnu::cold]] static ThreadState* attach() {
    ScopedErrno keep_errno;  // attaching maps memory and allocates: not the caller's errno
    return session::attach_current_thread();
  }

  ThreadState* thread_;
};

// Most unlocks have nothing to record: nobody waits (the caller checks the
// lock word), and the calling thread times no sampled hold that the unlock
// could end (or never records). They go to the real function before any
// scope is opened, at the cost of one thread-local read.
inline bool no_sampled_hold_on_this_thread() {
  ThreadState* t = tls_thread;
  return t == nullptr || t == kDetached || t->held_count == 0;
}

}  // namespace contend::preload
