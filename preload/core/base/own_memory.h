// Reads of our own process's memory that cannot fault: the kernel copies
// (process_vm_readv on ourselves), so an unmapped or unreadable address is
// an error, never a signal in the program.
#pragma once

#include <cstddef>

namespace contend::preload {

// Bytes copied (short at the end of a mapping, 0 when `from` is not
// readable), or -1 when the kernel may not be asked: under a seccomp filter
// a call the program's filter did not expect could kill it. A filter, once
// on, stays: so does that answer.
long read_own_memory(void* to, const void* from, size_t size);

}  // namespace contend::preload
