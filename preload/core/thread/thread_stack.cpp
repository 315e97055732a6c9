#include "thread/thread_stack.h"

#include "base/raw_syscall.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/syscall.h>

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
StackBounds checked(StackBounds b, uintptr_t here) {
  if (b.hi <= b.lo || b.hi - b.lo < kMinRange || !b.contains(here, here)) return {};
  return b;
}

// The start of the mapping that holds `address`, from /proc/self/maps (read
// with raw system calls, a byte at a time through a small buffer: no
// allocation), or 0.
uintptr_t mapping_start(uintptr_t address) {
  long fd =
      raw_syscall(SYS_openat, AT_FDCWD, reinterpret_cast<long>("/proc/self/maps"), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[1024];
  uintptr_t start = 0, end = 0, found = 0;
  int field = 0;  // 0: start, 1: end, 2: the rest of the line
  for (;;) {
    long n = raw_syscall(SYS_read, fd, reinterpret_cast<long>(buf), sizeof(buf));
    if (n <= 0) break;
    for (long i = 0; i < n && found == 0; ++i) {
      char c = buf[i];
      if (c == '\n') {
        field = 0;
        start = end = 0;
        continue;
      }
      if (field == 2) continue;
      int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      uintptr_t& value = field == 0 ? start : end;
      if (digit >= 0) {
        value = value << 4 | static_cast<uintptr_t>(digit);
      } else if (++field == 2 && start <= address && address < end) {
        found = start;
      }
    }
    if (found != 0) break;
  }
  raw_syscall(SYS_close, fd);
  return found;
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
  // Without a stack address set, glibc's getstack gives a null address (0 -
  // size before 2.34). With only the top set (pthread_attr_setstackaddr),
  // it gives that top and a size of 0: the stack's extent is not known.
  if (pthread_attr_getstack(a, &addr, &size) == 0 && addr != nullptr &&
      reinterpret_cast<uintptr_t>(addr) + size != 0) {
    if (size == 0) {
      if (attr == nullptr) pthread_attr_destroy(&defaults);
      return r;
    }
    r.user_stack = reinterpret_cast<uintptr_t>(addr);
  }
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
  // Down to where the stack's mapping starts now: it only ever grows down,
  // while below it, within the stack limit, the program may map its own
  // memory (a fiber's stack) and unmap it again.
  b.lo = mapping_start(b.hi);
  return checked(b, here);
}

}  // namespace contend::preload
