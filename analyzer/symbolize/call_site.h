// The call site a user should see for a stack: its first frame outside the
// lock implementation (libcontend, libc, libstdc++, libgomp and the standard
// library's lock wrappers, even when inlined), as perf lock's "caller".
#pragma once

#include "model/address_space.h"
#include "model/decoded_trace.h"
#include "symbolize/symbolizer.h"

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

  // Groups sites, in a lock's lists and across locks alike: the function,
  // or module+offset.
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

// The call sites of one decoded trace, by stack id or return address. The
// one place that decides which frame a user sees.
class CallSites {
 public:
  CallSites(const DecodedTrace& trace, Symbolizer& symbolizer) : trace_(trace), symbolizer_(symbolizer) {}

  CallSite of_frames(std::span<const uint64_t> frames, uint64_t when) {
    return call_site(frames, trace_.space, symbolizer_, when);
  }
  // "[no stack]" for id 0, "[stack lost]" when its STACK record is missing.
  CallSite of_stack(uint64_t stack_id, uint64_t when);
  // A single return address (hold samples and releases record only that).
  CallSite of_pc(uint64_t pc, uint64_t when);

 private:
  const DecodedTrace& trace_;
  Symbolizer& symbolizer_;
};

}  // namespace contend::analyze
