// The loaded objects of the process, as MODULE records: every executable,
// library and plugin with its load address, build-id and segments, so the
// analyzer can symbolize exactly under ASLR and for plugins loaded late.
//
// Scanned at start, on every drain pass when the loader's counters say the
// set changed, and around dlopen/dlclose (before dlclose unmaps a plugin).
// Scans are serialized by a flag; they are rare and short. Each object's
// record is kept, so that a forked child can write the objects it inherits
// without asking the loader (see loader_lock.h).
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
  // Does nothing in a frozen map.
  void scan(Emit emit, void* context, uint64_t now, bool force);

  // In a forked child's fork handler: the parent's objects are the
  // child's (unless the map was being updated at the fork: not
  // `consistent`). Without a usable loader the map freezes: no scan ever
  // calls it again in this process (nor in its own children).
  void adopt_after_fork(bool loader_usable, bool consistent);
  bool frozen() const { return frozen_; }

  // A LOADED record for every object known, from the kept records (a
  // forked child's new trace).
  void emit_known(Emit emit, void* context) const;

 private:
  struct Known {
    uint64_t base;
    uint64_t name_hash;
    uint32_t module_id;
    uint32_t record_size;  // of its kept record; 0 when none was kept
    bool seen;
  };
  static constexpr uint32_t kMaxModules = 2048;
  // A record: 16 segments and a 1 KiB path at most.
  static constexpr size_t kMaxRecordBytes = 1664;

  std::byte* kept_record(uint32_t index) const { return records_ + size_t{index} * kMaxRecordBytes; }
  void keep_record(uint32_t index, const void* record, size_t size);

  std::string exe_path_;
  Known known_[kMaxModules];
  uint32_t count_ = 0;
  uint32_t next_id_ = 1;
  unsigned long long adds_ = 0;
  unsigned long long subs_ = 0;
  bool scanned_ = false;
  bool frozen_ = false;
  std::byte* records_ = nullptr;  // kMaxModules kept records, mapped at the first scan

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

// Fork handlers. Before fork: wait until no scan of ours is under way and
// keep the flag, so that no thread of ours holds the loader's lock at the
// fork. After: the parent gives the flag back; the child resets it. Returns
// whether the flag was held across the fork (the map is then consistent).
void hold_module_scans_for_fork();
bool release_module_scans_after_fork(bool in_child);

}  // namespace contend::preload
