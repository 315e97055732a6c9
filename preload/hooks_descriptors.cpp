// close, close_range, closefrom, dup2 and dup3: the program may be closing
// or replacing the stack walker's pipe (core/record/walker_pipe.h), which
// is checked again before the next walk. Each call is noted before it is
// made and forwarded untouched; the notes only read two numbers.
//
// Inside the boot (dlsym may close) the real function is not known yet:
// the system call is made directly.
#include "core/base/raw_syscall.h"
#include "core/record/walker_pipe.h"
#include "hook.h"

#include <sys/syscall.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <climits>

using contend::preload::forward;
using contend::preload::note_descriptors_replaced;

namespace {

int raw_with_errno(long number, long a1, long a2 = 0, long a3 = 0) {
  long ret = contend::preload::raw_syscall(number, a1, a2, a3);
  if (ret < 0 && ret > -4096) {
    errno = static_cast<int>(-ret);
    return -1;
  }
  return static_cast<int>(ret);
}

unsigned as_descriptor(int fd) {
  return fd < 0 ? UINT_MAX : static_cast<unsigned>(fd);
}

}  // namespace

extern "C" {

CONTEND_EXPORT int close(int fd) {
  note_descriptors_replaced(as_descriptor(fd), as_descriptor(fd));
  const auto& next = forward();
  if (next.close == nullptr) [[unlikely]]
    return raw_with_errno(SYS_close, fd);
  return next.close(fd);
}

CONTEND_EXPORT int close_range(unsigned first, unsigned last, int flags) noexcept {
  note_descriptors_replaced(first, last);
  const auto& next = forward();
  if (next.close_range == nullptr) [[unlikely]]
    return raw_with_errno(SYS_close_range, first, last, flags);
  return next.close_range(first, last, flags);
}

CONTEND_EXPORT void closefrom(int lowest) noexcept {
  note_descriptors_replaced(static_cast<unsigned>(std::max(lowest, 0)), UINT_MAX);
  const auto& next = forward();
  if (next.closefrom == nullptr) [[unlikely]] {
    raw_with_errno(SYS_close_range, std::max(lowest, 0), UINT_MAX, 0);
    return;
  }
  next.closefrom(lowest);
}

CONTEND_EXPORT int dup2(int fd, int target) noexcept {
  note_descriptors_replaced(as_descriptor(target), as_descriptor(target));
  const auto& next = forward();
  if (next.dup2 == nullptr) [[unlikely]]
    return raw_with_errno(SYS_dup2, fd, target);
  return next.dup2(fd, target);
}

CONTEND_EXPORT int dup3(int fd, int target, int flags) noexcept {
  note_descriptors_replaced(as_descriptor(target), as_descriptor(target));
  const auto& next = forward();
  if (next.dup3 == nullptr) [[unlikely]]
    return raw_with_errno(SYS_dup3, fd, target, flags);
  return next.dup3(fd, target, flags);
}

}  // extern "C"
