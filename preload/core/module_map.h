// The loaded objects of the process, as MODULE records: every executable,
// library and plugin with its load address, build-id and segments, so the
// analyzer can symbolize exactly under ASLR and for plugins loaded late.
//
// Scanned at start, on every drain pass when the loader's counters say the
// set changed, and around dlopen/dlclose (before dlclose unmaps a plugin).
// Scans are serialized by a flag; they are rare and short.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace contend::preload {

class ModuleMap {
 public:
  // Where a scan's records go: the writer (start, drain) or a thread's ring.
  using Emit = void (*)(void* context, const void* record, size_t size);

  void reset(std::string exe_path);  // a new session

  // Emits records for objects loaded or unloaded since the last scan.
  // `force` skips the cheap "did the loader's counters change" check.
  void scan(Emit emit, void* context, uint64_t now, bool force);

 private:
  struct Known {
    uint64_t base;
    uint64_t name_hash;
    uint32_t module_id;
    bool seen;
  };
  static constexpr uint32_t kMaxModules = 2048;

  std::string exe_path_;
  Known known_[kMaxModules];
  uint32_t count_ = 0;
  uint32_t next_id_ = 1;
  unsigned long long adds_ = 0;
  unsigned long long subs_ = 0;
  bool scanned_ = false;

  friend struct ModuleScan;
};

ModuleMap& module_map();

// Serializes scans (our own flag: scans are never on a lock path).
class ModuleScanGuard {
 public:
  ModuleScanGuard();
  ~ModuleScanGuard();
  ModuleScanGuard(const ModuleScanGuard&) = delete;
  ModuleScanGuard& operator=(const ModuleScanGuard&) = delete;
};

}  // namespace contend::preload
