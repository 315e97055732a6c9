// The calling thread's recorder state, and the switch every hook reads
// first. Nothing here knows the session: the session attaches threads and
// flips the switch; hooks, recorders and our own threads read them.
#pragma once

#include <atomic>
#include <cstdint>

namespace contend::preload {

struct ThreadState;

// Whether hooks record at all. Checked first on every hook entry.
inline std::atomic<bool> g_recording{false};

// The calling thread's state: nullptr until it attaches, kDetached when it
// must never record (our own threads, exited or refused threads).
inline ThreadState* const kDetached = reinterpret_cast<ThreadState*>(uintptr_t{1});
extern __thread ThreadState* tls_thread __attribute__((tls_model("initial-exec")));

// The calling thread's state when it is attached, else nullptr.
inline ThreadState* attached_thread() {
  ThreadState* t = tls_thread;
  return t == kDetached ? nullptr : t;
}

// For our own threads (the drain): nothing they lock is ever recorded.
inline void never_record_on_this_thread() {
  tls_thread = kDetached;
}

}  // namespace contend::preload
