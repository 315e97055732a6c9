// errno as the real function left it must be what the caller sees: probing
// calls (trylock before lock) and our bookkeeping (a stack walk, a mapping,
// the drain thread's start) must not change it.
#pragma once

#include <cerrno>

namespace contend::preload {

// Saves errno and puts it back when the scope ends, however it ends: for
// slow paths that run between the caller and the real call, or after it.
class ScopedErrno {
 public:
  ScopedErrno() : saved_(errno) {}
  ~ScopedErrno() { errno = saved_; }
  ScopedErrno(const ScopedErrno&) = delete;
  ScopedErrno& operator=(const ScopedErrno&) = delete;

 private:
  int saved_;
};

}  // namespace contend::preload
