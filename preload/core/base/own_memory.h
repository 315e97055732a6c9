// Reads of our own process's memory that cannot fault: the kernel copies
// (process_vm_readv on ourselves), so an unmapped or unreadable address is
// an error, never a signal in the program.
#pragma once

#include <sys/uio.h>
#include <cstddef>

namespace contend::preload {

// Bytes copied (short at the end of a mapping, 0 when `from` is not
// readable), or -1 when the kernel may not be asked: under a seccomp filter
// a call the program's filter did not expect could kill it. A filter, once
// on, stays: so does that answer.
long read_own_memory(void* to, const void* from, size_t size);

// Several pieces in one call: bytes copied in all, which stop at the first
// piece that could not be read whole; -1 as above.
long read_own_memory(const struct iovec* to, const struct iovec* from, int pieces);

// For tests: behave as under a seccomp filter.
void refuse_own_memory_reads_for_testing(bool refuse);

}  // namespace contend::preload
