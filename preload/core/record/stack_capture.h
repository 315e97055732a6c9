// Call stacks: captured with libunwind where a wait begins (so unwinding
// overlaps the wait instead of lengthening anyone's critical section),
// stripped of our own frames, and interned: each distinct stack is written
// once (a STACK record) and referred to by its id.
#pragma once

#include "thread/thread_state.h"

#include <contend/trace_format.h>

#include <atomic>
#include <cstdint>

namespace contend::preload {

// Fills `frames` with the caller's stack (at most settings().stack_depth,
// and always at least the caller's own return address `caller_pc`).
uint32_t capture_stack(uint64_t* frames, uint32_t capacity, uintptr_t caller_pc);

// The id of a stack; writes its STACK record the first time any thread sees
// it (or, once the shared table is full, the first time this thread does).
uint64_t intern_stack(ThreadState& t, const uint64_t* frames, uint32_t depth);

// Both: the calling thread's stack, interned. 0 when it could not be
// recorded.
uint64_t current_stack_id(ThreadState& t);

// The stacks already written, shared by every thread: a fixed table of ids,
// insert-only, lock-free.
class StackIdSet {
 public:
  bool init(uint32_t capacity);  // power of two
  bool contains(uint64_t id) const;
  void insert(uint64_t id);  // silently does nothing when full
  void clear();              // a new session (tests, forked child)

 private:
  std::atomic<uint64_t>* ids_ = nullptr;
  uint32_t capacity_ = 0;
};

StackIdSet& written_stacks();

}  // namespace contend::preload
