#include "process/record_thread.h"

#include "base/real_functions.h"
#include "process/hook_scope.h"
#include "process/session.h"
#include "record/acquisition.h"
#include "record/lock_identity.h"
#include "record/unwinder.h"
#include "thread/thread_stack.h"

#include <cstdlib>
#include <cstring>

namespace contend::preload {

namespace {

struct Trampoline {
  void* (*start)(void*);
  void* arg;
  uint32_t creator_tid;
  StackRequest stack;
};

void* thread_trampoline(void* p) {
  Trampoline tr = *static_cast<Trampoline*>(p);
  {
    // The thread's start routine finds errno as a thread without us does.
    ScopedErrno keep_errno;
    std::free(p);
    ThreadState* t = session::attach_current_thread(tr.creator_tid);
    if (t != nullptr)
      t->stack = started_thread_stack(tr.stack, reinterpret_cast<uintptr_t>(__builtin_frame_address(0)));
    HookScope inside_our_code;  // locks the allocator takes meanwhile are forwarded
    warm_stack_walker();
  }
  return tr.start(tr.arg);
}

}  // namespace

int create_thread(ThreadState& creator, pthread_t* thread, const pthread_attr_t* attr, void* (*start)(void*),
                  void* arg) {
  Trampoline* tr = nullptr;
  {
    // Starting our drain thread and the allocation are ours: the caller's
    // errno stays as it was for the real call.
    ScopedErrno keep_errno;
    // The program becomes multi-threaded now anyway: our drain can start.
    session::start_drain();
    // pthread_create allocates too; this is not a lock path.
    tr = static_cast<Trampoline*>(std::malloc(sizeof(Trampoline)));
  }
  if (tr == nullptr) return real().create_thread(thread, attr, start, arg);
  {
    ScopedErrno keep_errno;
    *tr = Trampoline{start, arg, creator.tid, stack_request(attr)};
  }
  int rc = real().create_thread(thread, attr, &thread_trampoline, tr);
  if (rc != 0) {
    ScopedErrno keep_errno;
    std::free(tr);
  }
  return rc;
}

int set_thread_name(ThreadState& t, pthread_t thread, const char* name) {
  int rc = real().setname(thread, name);
  if (rc != 0) return rc;
  uint32_t tid = pthread_equal(thread, pthread_self()) ? t.tid : session::tid_of(thread);
  if (tid != 0) push_thread_name(t, tid, name);  // 0: not a thread we profile
  return rc;
}

}  // namespace contend::preload
