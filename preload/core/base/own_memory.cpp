#include "base/own_memory.h"

#include "base/raw_syscall.h"

#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <atomic>
#include <cerrno>

namespace contend::preload {

namespace {
std::atomic<bool> g_refused{false};
}

long read_own_memory(void* to, const void* from, size_t size) {
  if (g_refused.load(std::memory_order_relaxed)) return -1;
  if (raw_syscall(SYS_prctl, PR_GET_SECCOMP) != 0) {
    g_refused.store(true, std::memory_order_relaxed);
    return -1;
  }
  struct iovec local = {to, size};
  struct iovec remote = {const_cast<void*>(from), size};
  long r = raw_syscall6(SYS_process_vm_readv, raw_syscall(SYS_getpid), reinterpret_cast<long>(&local), 1,
                        reinterpret_cast<long>(&remote), 1, 0);
  if (r >= 0) return r;
  return r == -EFAULT ? 0 : -1;
}

}  // namespace contend::preload
