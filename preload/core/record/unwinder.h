// The stack walker: libunwind, loaded privately.
//
// libunwind.so.8 exports the whole unwinder ABI (_Unwind_RaiseException and
// friends) and a `backtrace`. Linked as a dependency of libcontend.so, those
// would join the program's symbol lookup ahead of libgcc_s and glibc, and
// the program's own exceptions would start to be thrown by libunwind (which
// takes a mutex of its own, through our hooks, and can then deadlock inside
// our stack capture). Debian's libunwind.a is not position-independent, so it
// cannot be linked in either. It is opened with RTLD_LOCAL instead: its
// symbols stay out of the program's lookup, and we call it through pointers.
#pragma once

#include "base/text_range.h"

#include <cstdint>
#include <string>

namespace contend::preload {

// Opens libunwind once. Not for hooks (dlopen allocates and takes the loader
// lock): the library's constructor and tests call it. False, with the
// reason, when it cannot be loaded; stacks then hold the caller only.
bool load_unwinder(std::string* error);
bool unwinder_loaded();

// The calling thread's return addresses, innermost first; 0 when the
// unwinder is not loaded.
int walk_stack(void** frames, int max);

// One frame of a slower walk, which also says where each frame is.
struct WalkedFrame {
  // The registers a call preserves, which are all an unwind rule at a call
  // can depend on besides the stack pointer: rbp, rbx, r12 to r15.
  static constexpr int kSaved = 6;
  uint64_t ip;
  uint64_t sp;                // the frame's stack pointer (its callee's CFA)
  uint64_t reg[kSaved];       // their values in this frame (reg[0]: rbp)
  uint64_t saved_at[kSaved];  // where a callee saved each; 0 when not in memory
  bool signal;                // a signal frame: the next frame was interrupted, not calling
};
int walk_stack_frames(WalkedFrame* frames, int max);

// One walk at a safe point (a thread's start, before its own code runs):
// libunwind's per-thread cache is dynamic TLS, allocated with malloc at a
// thread's first walk, and that first walk must not happen inside the
// program's allocator (a lock wait inside jemalloc, or inside glibc's malloc
// under CONTEND_FUTEX=all), which it would re-enter.
// A thread other than the first needs only its block of libunwind's TLS:
// the rest of what a first walk allocates is mmap'ed (its 256 KiB cache,
// then made only when the thread first waits) or, with libunwind's
// thread-specific key among the first 32, nothing.
void warm_stack_walker();
// The first thread's: a whole walk, which also creates libunwind's key,
// and the check of that key's number.
void warm_stack_walker_first();
// Whether the calling thread has walked once (so a walk allocates nothing).
bool stack_walker_warm();

// The unwinder's code. A lock it takes (for the program, or for us) is
// forwarded and never recorded: recording it could walk the stack, which
// would take that lock again.
inline PublishedRange g_unwinder_text;
inline bool called_from_unwinder(uintptr_t pc) {
  return g_unwinder_text.contains(pc);
}

}  // namespace contend::preload
