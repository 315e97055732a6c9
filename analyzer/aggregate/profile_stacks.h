// A lock's stacks as profile samples (pprof): waits by thread and stack,
// sampled holds by acquiring site, each address symbolized once into the
// report's shared tables (Report::profile).
#pragma once

#include "model/decoded_trace.h"
#include "report/report.h"
#include "symbolize/lock_wrappers.h"
#include "symbolize/symbolizer.h"

#include <map>
#include <span>
#include <string>
#include <tuple>
#include <unordered_map>

namespace contend::analyze {

class ProfileStacks {
 public:
  ProfileStacks(Profile& out, Symbolizer& symbolizer, LockWrappers& wrappers)
      : out_(out), symbolizer_(symbolizer), wrappers_(wrappers) {}

  // Fills row.profile from `lock` (decoded with DecodeOptions::thread_stacks).
  // Frames of the lock implementation are left out at the innermost end, as
  // a call site leaves them out (symbolize/call_site.h): a profile's leaf is
  // the code that took the lock; the lock itself is in the row.
  void add(const DecodedTrace& trace, const LockData& lock, LockRow& row);

 private:
  // The lock primitive or a lock wrapper: left out at a stack's leaf.
  bool not_users(const std::string& function, const std::string& module);
  // The innermost frames a user should see, as location indices.
  std::vector<uint32_t> locations(const DecodedTrace& trace, std::span<const uint64_t> pcs, uint64_t when);
  uint32_t pseudo_location(const std::string& text);
  int32_t module_index(const Module* m);

  Profile& out_;
  Symbolizer& symbolizer_;
  LockWrappers& wrappers_;  // the report's: the same frames left out as for its call sites
  std::map<std::tuple<int32_t, uint64_t, bool>, uint32_t> by_address_;  // (module, address, trimmed)
  std::map<std::string, uint32_t> pseudo_;
  std::unordered_map<const Module*, int32_t> modules_;
};

}  // namespace contend::analyze
