// Where a thread's own stack is: the range the stack memo may read with
// plain loads (record/stack_memo.h). Everything from a live frame of the
// thread up to the range's top is mapped for as long as the thread lives,
// which a fiber's or coroutine's stack, mapped and unmapped by the program,
// is not: a range is known only for the main thread and for threads started
// through our pthread_create, and is {0, 0} (nothing may be read) otherwise.
#pragma once

#include <pthread.h>
#include <cstdint>

namespace contend::preload {

struct StackBounds {
  uintptr_t lo = 0;
  uintptr_t hi = 0;
  bool contains(uintptr_t from, uintptr_t to) const { return lo <= from && from <= to && to < hi; }
};

// What pthread_create will give the new thread, from its attributes (the
// program's, or the defaults): read by the creating thread.
struct StackRequest {
  uintptr_t user_stack = 0;  // the lowest address of a stack the program supplied; 0: glibc maps one
  size_t size = 0;
  size_t guard = 0;
};
StackRequest stack_request(const pthread_attr_t* attr);

// In the new thread, at its start: its stack from the request, checked
// against `here`, an address in its current frame ({0, 0} when that is not
// inside, or the layout is not glibc's).
StackBounds started_thread_stack(const StackRequest& request, uintptr_t here);

// The main thread's stack: from the loader's record of where it starts down
// to the start of its mapping now (frames deeper than the stack has been
// before are not in it), checked against `here` likewise.
StackBounds main_thread_stack(uintptr_t here);

}  // namespace contend::preload
