// The functions a small machine function calls, read from its code: direct
// calls and jumps, and calls through the PLT or the GOT, named by the symbol
// table or the dynamic relocations (which stripping keeps). It lets the
// wrapper rules tell a function that only takes a lock for its caller from
// one that takes it, works and releases it.
#pragma once

#include <elfutils/libdwfl.h>

#include <cstdint>
#include <string>
#include <vector>

namespace contend::analyze {

// Names of what [entry, entry + size) calls or tail-calls, in the module's
// ELF addresses; "" for a target without a name. Empty when the code cannot
// be read.
std::vector<std::string> called_functions(Dwfl_Module* module, uint64_t entry, uint64_t size);

// The name of what the call ending at `return_address` calls (a direct or
// PLT/GOT call), or "".
std::string call_target(Dwfl_Module* module, uint64_t return_address);

}  // namespace contend::analyze
