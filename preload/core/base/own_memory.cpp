#include "base/own_memory.h"

#include "base/raw_syscall.h"

#include <sys/prctl.h>
#include <sys/syscall.h>
#include <atomic>
#include <cerrno>

namespace contend::preload {

namespace {
std::atomic<bool> g_refused{false};
}

long read_own_memory(const struct iovec* to, const struct iovec* from, int pieces) {
  if (g_refused.load(std::memory_order_relaxed)) return -1;
  if (raw_syscall(SYS_prctl, PR_GET_SECCOMP) != 0) {
    g_refused.store(true, std::memory_order_relaxed);
    return -1;
  }
  long r = raw_syscall6(SYS_process_vm_readv, raw_syscall(SYS_getpid), reinterpret_cast<long>(to), pieces,
                        reinterpret_cast<long>(from), pieces, 0);
  if (r >= 0) return r;
  return r == -EFAULT ? 0 : -1;
}

long read_own_memory(void* to, const void* from, size_t size) {
  struct iovec local = {to, size};
  struct iovec remote = {const_cast<void*>(from), size};
  return read_own_memory(&local, &remote, 1);
}

void refuse_own_memory_reads_for_testing(bool refuse) {
  g_refused.store(refuse, std::memory_order_relaxed);
}

}  // namespace contend::preload
