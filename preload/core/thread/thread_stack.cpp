#include "thread/thread_stack.h"

#include <dlfcn.h>
#include <sys/resource.h>

namespace contend::preload {

namespace {

// glibc places the thread's descriptor (struct pthread, about 2.3 KiB) at
// the top of the block it maps, and the stack grows down below it and the
// static TLS; at the bottom, the guard. A page of margin covers the
// descriptor.
constexpr uintptr_t kDescriptorMargin = 4096;
// Below this, a range is not worth keeping walks in (and the layout is
// probably not what we think).
constexpr uintptr_t kMinRange = 16 * 1024;
constexpr uintptr_t kUnlimitedMainStack = 8u << 20;

StackBounds checked(StackBounds b, uintptr_t here) {
  if (b.hi <= b.lo || b.hi - b.lo < kMinRange || !b.contains(here, here)) return {};
  return b;
}

}  // namespace

StackRequest stack_request(const pthread_attr_t* attr) {
  StackRequest r;
  pthread_attr_t defaults;
  if (attr == nullptr) {
    if (pthread_getattr_default_np(&defaults) != 0) return r;
  }
  const pthread_attr_t* a = attr != nullptr ? attr : &defaults;
  void* addr = nullptr;
  size_t size = 0;
  size_t guard = 0;
  // Without a stack address set, glibc's getstack gives 0 - size.
  if (pthread_attr_getstack(a, &addr, &size) == 0 && size != 0 &&
      reinterpret_cast<uintptr_t>(addr) + size != 0)
    r.user_stack = reinterpret_cast<uintptr_t>(addr);
  if (pthread_attr_getstacksize(a, &size) == 0) r.size = size;
  if (pthread_attr_getguardsize(a, &guard) == 0) r.guard = guard;
  if (attr == nullptr) pthread_attr_destroy(&defaults);
  return r;
}

StackBounds started_thread_stack(const StackRequest& request, uintptr_t here) {
  if (request.size == 0) return {};
  // The descriptor is below the top of the stack the program supplied, or
  // of the block glibc mapped (which may be larger than asked: a cached
  // stack; the range below is then smaller than the real one, never larger).
  auto top = reinterpret_cast<uintptr_t>(pthread_self());
  StackBounds b;
  b.hi = top;
  if (request.user_stack != 0) {
    b.lo = request.user_stack;
    if (top > request.user_stack + request.size) return {};
  } else {
    if (request.size + kDescriptorMargin > top) return {};
    b.lo = top - request.size + request.guard + kDescriptorMargin;
  }
  return checked(b, here);
}

StackBounds main_thread_stack(uintptr_t here) {
  // Exported by the loader: the main thread's stack pointer at start-up,
  // below the arguments and environment, which are mapped too.
  auto* end = static_cast<void**>(dlsym(RTLD_DEFAULT, "__libc_stack_end"));
  if (end == nullptr || *end == nullptr) return {};
  StackBounds b;
  b.hi = reinterpret_cast<uintptr_t>(*end);
  rlimit limit{};
  uintptr_t size = kUnlimitedMainStack;
  if (getrlimit(RLIMIT_STACK, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < size)
    size = limit.rlim_cur;
  if (size > b.hi) return {};
  b.lo = b.hi - size;
  return checked(b, here);
}

}  // namespace contend::preload
