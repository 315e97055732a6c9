// Which frames of a waiting stack are not the user's code: the lock
// primitive itself (libc, the profiler), and lock wrappers (the C++ and Rust
// standard libraries, language runtimes, libraries' lock classes, and thin
// functions whose only job is to lock). A call site is the first frame
// outside both; the wrapper it called is kept as its context.
//
// Wrappers come from a documented default list (lock_wrappers.cpp,
// docs/CALL_SITES.md), from --wrapper patterns, and from the trace itself:
// a small function (at most kThinWrapperBytes of code, or inlined) that
// does not release a lock itself (its code calls no unlock) is a wrapper
// when waits reach it and its name says it locks, or when waits or lock
// creations reach it from several distinct callers (LockWrappers::learn). A function that locks, works and
// unlocks (a critical section) is the user's code however small it is.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace contend::analyze {

// What a frame is, and what a wrapper says about the waits through it.
enum class FrameRole : uint8_t {
  kUser,       // the user's code: a call site
  kPrimitive,  // the lock implementation itself: skipped, never shown
  kEither,     // a wrapper that may be a lock or an event (a semaphore, an atomic wait)
  kEvent,      // a wrapper that waits for an event (condition, latch, once, join, park)
  kLock,       // a wrapper that takes a lock
};

// The stronger of two roles, for a stack passing several wrappers: a lock
// wrapper anywhere makes the wait lock contention.
FrameRole stronger(FrameRole a, FrameRole b);

inline constexpr uint64_t kThinWrapperBytes = 256;

// How a frame is known, for the rules: its function and module, and the
// identity and size of the machine function it is in.
struct FrameFacts {
  const std::string& function;  // "" in a stripped module
  const std::string& module;
  std::string identity;  // the function, or module+entry when unnamed ("" unknown)
  uint64_t size = 0;     // bytes of code, 0 when unknown
  bool inlined = false;
  // Whether its code calls a release (an unlock, sem_post): unknown for
  // inlined frames and unreadable code.
  std::optional<bool> releases;
};

// An unlock, sem_post or a lock guard's destructor, by name.
bool is_release_function(const std::string& name);

struct WrapperOptions {
  std::vector<std::string> patterns;  // --wrapper: more wrappers (globs on the function name)
  bool raw = false;                   // --raw-sites: only the primitive is skipped
};

class LockWrappers {
 public:
  explicit LockWrappers(WrapperOptions options = {});

  // The role of a frame by the lists and what learn() found.
  FrameRole role(const FrameFacts& frame);
  bool raw() const { return options_.raw; }

  // Learning from the stacks of a trace: for each stack, its first frame
  // that the rules call the user's, and that frame's caller.
  // `waiting`: a waiting stack; a birth stack (where a lock was created)
  // names a lock factory for locking, and a factory called from one place
  // is where the lock comes from.
  void observe(const FrameFacts& first_user_frame, const std::string& caller_identity, bool waiting);
  // Turns what was observed into thin wrappers; true when some were found
  // (their callers then deserve a look too).
  bool learn();

 private:
  FrameRole listed(const std::string& function, const std::string& module);

  struct Candidate {
    std::set<std::string> callers;
    bool small = false;
    bool lock_named = false;
    std::optional<bool> releases;
    FrameRole role = FrameRole::kEither;
  };
  WrapperOptions options_;
  std::unordered_map<std::string, FrameRole> listed_cache_;  // by module + function
  std::unordered_map<std::string, Candidate> candidates_;    // by identity
  std::unordered_map<std::string, FrameRole> thin_;          // learned wrappers, by identity
};

// The default list, one pattern per line with its role, for docs and tests.
struct WrapperPattern {
  const char* pattern;  // fnmatch glob on the function name (a leading '<' of a Rust path ignored)
  FrameRole role;
};
const std::vector<WrapperPattern>& default_wrapper_patterns();

}  // namespace contend::analyze
