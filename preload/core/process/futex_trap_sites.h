// Where the futex trap traps: the address just after every `syscall`
// instruction in the code of the objects loaded in this process.
//
// Exact addresses rather than address ranges, because a seccomp filter
// outlives exec: in a program exec'd later, with its own random layout, a
// trapped call needs a `syscall` of a trapped number ending at exactly one
// of these addresses (docs/FUTEX_WAITS.md works out how unlikely that is),
// where a range would catch any of its code that happens to land inside.
//
// Candidates are found by their bytes (0f 05) in each executable segment:
// every real `syscall` is among them; a pair that is part of another
// instruction never executes as one, and only makes the list longer.
#pragma once

#include "base/text_range.h"

#include <cstdint>
#include <string>
#include <vector>

namespace contend::preload {

// Appends `base + offset + 2` for every 0f 05 pair at `offset` in
// [bytes, bytes + size).
void find_syscall_candidates(const uint8_t* bytes, uintptr_t size, uintptr_t base,
                             std::vector<uint64_t>& out);

struct SyscallSites {
  std::vector<uint64_t> sites;         // sorted, no duplicates
  std::vector<TextRange> record_free;  // sanitizer runtimes: their waits are theirs, not the program's
  std::vector<std::string> skipped;    // objects left out, and why (for the documentation's tests)
  uint32_t objects = 0;                // objects whose code is covered
  // Candidates in code at a fixed address, left out: such code's own
  // signal-mask calls could block SIGSYS unseen (futex_trap.cpp refuses).
  uint32_t fixed_address_sites = 0;
};

// Scans every loaded object except: ours (`own`), the stack walker
// (`unwinder`), the vDSO, and code at a fixed address (a non-PIE executable,
// where the same program exec'd again would have the same addresses).
// Start-up only: walks the loader's list and allocates.
SyscallSites scan_syscall_sites(TextRange own, TextRange unwinder);

// The `syscall` of libc's syscall() function: the first found by its bytes
// within its first 64; 0 when none is. Futex calls made through it are recorded by
// our syscall() hook already, so the trap lets them pass.
uint64_t syscall_function_site(const void* syscall_function);

}  // namespace contend::preload
