// The call site a user should see for a stack: its first frame outside the
// lock implementation (libcontend, libc, libstdc++, libgomp and the standard
// library's lock wrappers, even when inlined), as perf lock's "caller".
#pragma once

#include "address_space.h"
#include "symbolizer.h"

#include <cstdint>
#include <span>
#include <string>

namespace contend::analyze {

struct CallSite {
  std::string function;  // "" when unknown: then module+offset name it
  std::string file;
  int line = 0;
  std::string module;
  uint64_t offset = 0;

  // Groups sites: the function, or module+offset.
  std::string key() const;
  // "acquire_slab (slab_pool.cpp:40)", or "libfoo.so+0x1234".
  std::string label() const;
};

// True for frames that belong to the lock implementation.
bool is_lock_implementation(const std::string& function, const std::string& module);

// `frames`: return addresses, innermost first. `when`: ticks, to pick the
// module loaded at that time.
CallSite call_site(std::span<const uint64_t> frames, const AddressSpace& space, Symbolizer& symbolizer,
                   uint64_t when = 0);

// The site of a single return address (hold samples record only that).
CallSite call_site_of_pc(uint64_t pc, const AddressSpace& space, Symbolizer& symbolizer, uint64_t when = 0);

}  // namespace contend::analyze
