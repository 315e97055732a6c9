// Helpers for tests that drive the recorder core in-process, without
// LD_PRELOAD: start a session on a temporary trace, run code as a recorded
// thread, stop, and read the result back with the analyzer.
#pragma once

#include "aggregate/aggregator.h"
#include "core/base/config.h"
#include "core/base/real_functions.h"
#include "core/process/hook_scope.h"
#include "core/process/session.h"

#include <filesystem>
#include <string>

namespace contend::testing {

// libc's functions (the test binary interposes nothing).
preload::RealFunctions libc_functions();

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Starts a session writing `trace_path`. flush_ms = 0: no drain thread; the
// test drains with session::drain_now() or at stop.
preload::Config test_config(const std::string& trace_path, uint32_t flush_ms = 0);
void start_session(const preload::Config& config);

// Runs `fn(ThreadState&)` inside a hook scope on the calling thread.
template <typename Fn>
auto as_recorded_thread(Fn&& fn) {
  preload::HookScope scope;
  if (!scope) throw std::runtime_error("the calling thread cannot record");
  return fn(*scope.thread());
}

analyze::Report read_report(const std::string& trace_path);

}  // namespace contend::testing
