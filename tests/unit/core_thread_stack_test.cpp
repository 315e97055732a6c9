// Where a thread's own stack is (the only memory the stack memo reads):
// checked against what /proc/self/maps and glibc say.
#include "core/thread/thread_stack.h"

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <pthread.h>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace contend::preload {
namespace {

uintptr_t here() {
  return reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
}

TEST(ThreadStack, TheMainThreadsRangeIsItsStackMapping) {
  StackBounds b = main_thread_stack(here());
  auto* end = static_cast<void**>(dlsym(RTLD_DEFAULT, "__libc_stack_end"));
  ASSERT_NE(end, nullptr);
  EXPECT_EQ(b.hi, reinterpret_cast<uintptr_t>(*end));
  std::ifstream maps("/proc/self/maps");
  std::string line;
  uintptr_t start = 0;
  while (std::getline(maps, line))
    if (line.find("[stack]") != std::string::npos)
      start = std::stoull(line.substr(0, line.find('-')), nullptr, 16);
  EXPECT_EQ(b.lo, start);
  EXPECT_TRUE(b.contains(here(), here()));
  // Not from a frame elsewhere (a fiber's stack; a thread forked as main).
  EXPECT_EQ(main_thread_stack(b.lo - 4096).hi, 0u);
}

struct Started {
  StackRequest request;
  StackBounds bounds;
  uintptr_t frame = 0;
  uintptr_t block_lo = 0, block_hi = 0;  // what glibc says the thread's stack is
};

void* note_stack(void* p) {
  auto* s = static_cast<Started*>(p);
  s->frame = here();
  s->bounds = started_thread_stack(s->request, s->frame);
  pthread_attr_t attr;
  void* addr = nullptr;
  size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstack(&attr, &addr, &size);
    pthread_attr_destroy(&attr);
  }
  s->block_lo = reinterpret_cast<uintptr_t>(addr);
  s->block_hi = s->block_lo + size;
  return nullptr;
}

// Stacks as large as a sanitizer's thread-local data needs (ThreadSanitizer's
// is about 900 KiB, and glibc puts it in the thread's stack).
constexpr size_t kStack = 8u << 20;

Started start_with(pthread_attr_t* attr) {
  Started s;
  s.request = stack_request(attr);
  pthread_t t;
  EXPECT_EQ(pthread_create(&t, attr, note_stack, &s), 0);
  pthread_join(t, nullptr);
  return s;
}

TEST(ThreadStack, AStartedThreadsRangeIsInsideTheStackGlibcGaveIt) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kStack);
  pthread_attr_setguardsize(&attr, 64 * 1024);
  for (pthread_attr_t* a : {static_cast<pthread_attr_t*>(nullptr), &attr}) {
    Started s = start_with(a);
    ASSERT_NE(s.bounds.hi, 0u);
    EXPECT_TRUE(s.bounds.contains(s.frame, s.frame));
    EXPECT_GE(s.bounds.lo, s.block_lo);
    EXPECT_LE(s.bounds.hi, s.block_hi);
  }
  pthread_attr_destroy(&attr);
}

TEST(ThreadStack, AStackTheProgramGaveIsItsBuffer) {
  std::vector<char> buffer(kStack);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstack(&attr, buffer.data(), buffer.size());
  Started s = start_with(&attr);
  EXPECT_EQ(s.bounds.lo, reinterpret_cast<uintptr_t>(buffer.data()));
  EXPECT_LE(s.bounds.hi, reinterpret_cast<uintptr_t>(buffer.data() + buffer.size()));
  EXPECT_TRUE(s.bounds.contains(s.frame, s.frame));
  pthread_attr_destroy(&attr);
}

TEST(ThreadStack, AStackGivenByItsTopOnlyIsNotKnown) {
  std::vector<char> buffer(kStack);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  pthread_attr_setstackaddr(&attr, buffer.data() + buffer.size());
#pragma GCC diagnostic pop
  Started s = start_with(&attr);
  EXPECT_EQ(s.bounds.lo, 0u);
  EXPECT_EQ(s.bounds.hi, 0u);
  pthread_attr_destroy(&attr);
}

}  // namespace
}  // namespace contend::preload
