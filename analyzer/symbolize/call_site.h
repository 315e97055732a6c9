// The call site a user should see for a stack: its first frame outside the
// lock primitive and the lock wrappers (symbolize/lock_wrappers.h), inlined
// frames included, as perf lock's "caller"; the wrapper it called is kept
// as context ("transfer ← std::scoped_lock").
#pragma once

#include "model/address_space.h"
#include "model/decoded_trace.h"
#include "symbolize/lock_wrappers.h"
#include "symbolize/symbolizer.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace contend::analyze {

struct CallSite {
  std::string function;  // "" when unknown: then module+offset name it
  std::string file;
  int line = 0;
  std::string module;
  uint64_t offset = 0;
  // The wrapper the site locked through (its full name, or module+0xentry
  // when unnamed); "" when the site called the primitive itself. With an
  // empty function and module, the caller of that wrapper is unknown (a
  // hold or release records only the acquiring call).
  std::string via;
  FrameRole role = FrameRole::kUser;  // the strongest wrapper on the way

  // Groups sites, in a lock's lists and across locks alike: the function,
  // or module+offset, or "? ← wrapper".
  std::string key() const;
  // "acquire_slab (slab_pool.cpp:40)", "libfoo.so+0x1234", "? ← uv_mutex_lock".
  std::string place() const;
  // place() and the wrapper as context: "transfer (bank.cpp:12) ← std::scoped_lock".
  std::string label() const;
};

// The call sites of one decoded trace, by stack id or return address. The
// one place that decides which frame a user sees.
class CallSites {
 public:
  CallSites(const DecodedTrace& trace, Symbolizer& symbolizer, LockWrappers& wrappers)
      : trace_(trace), symbolizer_(symbolizer), wrappers_(wrappers) {}

  // Finds thin wrappers among the first user frames of the trace's waiting
  // and birth stacks (LockWrappers::observe); run over every trace of a
  // report before any site is asked for.
  void learn_wrappers();

  // `frames`: return addresses, innermost first. `when`: ticks, to pick the
  // module loaded at that time.
  CallSite of_frames(std::span<const uint64_t> frames, uint64_t when);
  // "[no stack]" for id 0, "[stack lost]" when its STACK record is missing.
  CallSite of_stack(uint64_t stack_id, uint64_t when);
  // A single return address (hold samples and releases record only that).
  CallSite of_pc(uint64_t pc, uint64_t when);

 private:
  // One frame of a stack, inlined ones apart: `frame` is null when the
  // address was not resolved.
  struct Frame {
    const Module* module;
    const Symbolized* at;
    const SourceFrame* frame;
    bool outermost;  // the machine function itself, not a frame inlined into it
  };
  std::vector<Frame> expand(std::span<const uint64_t> pcs, uint64_t when);
  FrameFacts facts(const Frame& f) const;
  std::string identity(const Frame& f) const;
  // Whether the function of `f` releases a lock itself (then it is not a
  // wrapper that locks for its caller); unknown for inlined frames.
  std::optional<bool> releases(const Frame& f);

  const DecodedTrace& trace_;
  Symbolizer& symbolizer_;
  LockWrappers& wrappers_;
};

}  // namespace contend::analyze
