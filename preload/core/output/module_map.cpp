#include "output/module_map.h"

#include "base/zeroed_mapping.h"

#include <contend/trace_format.h>

#include <elf.h>
#include <link.h>
#include <sched.h>
#include <time.h>
#include <algorithm>
#include <atomic>
#include <cstring>

namespace contend::preload {

namespace {

std::atomic<bool> g_scanning{false};
// This thread holds g_scanning: a signal handler that forks in the middle
// of our scan must not wait for it.
__thread bool t_scanning __attribute__((tls_model("initial-exec"))) = false;
__thread bool t_held_for_fork __attribute__((tls_model("initial-exec"))) = false;

void acquire_scan_flag() {
  while (g_scanning.exchange(true, std::memory_order_acquire)) sched_yield();
  t_scanning = true;
}

void release_scan_flag() {
  t_scanning = false;
  g_scanning.store(false, std::memory_order_release);
}

uint64_t hash_name(const char* s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s != '\0'; ++s) h = (h ^ static_cast<unsigned char>(*s)) * 1099511628211ull;
  return h;
}

// The GNU build-id note of a loaded object, read from memory.
uint8_t read_build_id(const dl_phdr_info* info, uint8_t* out, uint8_t capacity) {
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_NOTE) continue;
    const auto* p = reinterpret_cast<const uint8_t*>(info->dlpi_addr + ph.p_vaddr);
    const uint8_t* end = p + ph.p_memsz;
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      ElfW(Nhdr) n;
      std::memcpy(&n, p, sizeof(n));
      const uint8_t* name = p + sizeof(n);
      const uint8_t* desc = name + ((n.n_namesz + 3) & ~3u);
      if (desc + n.n_descsz > end) break;
      if (n.n_type == NT_GNU_BUILD_ID && n.n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
        uint8_t size = static_cast<uint8_t>(n.n_descsz < capacity ? n.n_descsz : capacity);
        std::memcpy(out, desc, size);
        return size;
      }
      p = desc + ((n.n_descsz + 3) & ~3u);
    }
  }
  return 0;
}

}  // namespace

ModuleScanGuard::ModuleScanGuard() {
  acquire_scan_flag();
}

ModuleScanGuard::~ModuleScanGuard() {
  release_scan_flag();
}

void hold_module_scans_for_fork() {
  t_held_for_fork = false;
  if (t_scanning) return;  // a signal handler forking inside our own scan
  // Bounded: a scan may wait for the loader's lock, which this thread may
  // hold (a fork from a dl_iterate_phdr callback); then we fork without.
  timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  while (g_scanning.exchange(true, std::memory_order_acquire)) {
    clock_gettime(CLOCK_MONOTONIC, &now);
    if ((now.tv_sec - start.tv_sec) * 1000000000L + (now.tv_nsec - start.tv_nsec) > 200000000L) return;
    sched_yield();
  }
  t_scanning = true;
  t_held_for_fork = true;
}

bool release_module_scans_after_fork(bool in_child) {
  bool held = t_held_for_fork;
  // In the child no other thread is left to hold it.
  if (held || in_child) release_scan_flag();
  t_held_for_fork = false;
  return held;
}

struct ModuleScan {
  ModuleMap& map;
  ModuleMap::Emit emit;
  void* context;
  uint64_t now;

  void emit_module(const dl_phdr_info* info, const char* path, uint32_t index, uint32_t id, uint8_t flags) {
    alignas(8) std::byte buffer[4096];
    format::ModuleRecord r{};
    r.base = info->dlpi_addr;
    r.time = now;
    r.module_id = id;
    r.flags = flags;
    r.build_id_size = read_build_id(info, r.build_id, sizeof(r.build_id));
    size_t off = sizeof(r);
    uint16_t segments = 0;
    for (int i = 0; i < info->dlpi_phnum && segments < 16; ++i) {
      const ElfW(Phdr)& ph = info->dlpi_phdr[i];
      if (ph.p_type != PT_LOAD) continue;
      format::ModuleSegment seg{ph.p_vaddr, ph.p_memsz, ph.p_offset, ph.p_flags, 0};
      std::memcpy(buffer + off, &seg, sizeof(seg));
      off += sizeof(seg);
      ++segments;
    }
    size_t path_size = std::min<size_t>(std::strlen(path), 1024);
    std::memcpy(buffer + off, path, path_size);
    off += path_size;
    size_t total = format::align_up(static_cast<uint32_t>(off));
    std::memset(buffer + off, 0, total - off);
    r.segment_count = segments;
    r.path_size = static_cast<uint16_t>(path_size);
    r.header = format::make_header<format::ModuleRecord>(static_cast<uint32_t>(total));
    std::memcpy(buffer, &r, sizeof(r));
    map.keep_record(index, buffer, total);
    emit(context, buffer, total);
  }

  void emit_unloaded(const ModuleMap::Known& k) {
    format::ModuleRecord r{};
    r.header = format::make_header<format::ModuleRecord>();
    r.base = k.base;
    r.time = now;
    r.module_id = k.module_id;
    r.flags = format::kModuleUnloaded;
    emit(context, &r, sizeof(r));
  }

  static int visit(dl_phdr_info* info, size_t, void* arg) {
    auto* self = static_cast<ModuleScan*>(arg);
    ModuleMap& m = self->map;
    bool main_program = info->dlpi_name == nullptr || info->dlpi_name[0] == '\0';
    const char* path = main_program ? m.exe_path_.c_str() : info->dlpi_name;
    uint64_t name_hash = hash_name(path);
    for (uint32_t i = 0; i < m.count_; ++i) {
      if (m.known_[i].base == info->dlpi_addr && m.known_[i].name_hash == name_hash) {
        m.known_[i].seen = true;
        return 0;
      }
    }
    if (m.count_ == ModuleMap::kMaxModules) return 0;
    uint32_t id = m.next_id_++;
    uint32_t index = m.count_++;
    m.known_[index] = ModuleMap::Known{info->dlpi_addr, name_hash, id, 0, true};
    uint8_t flags = format::kModuleLoaded | (main_program ? format::kModuleMainProgram : 0);
    self->emit_module(info, path, index, id, flags);
    return 0;
  }

  static int counters(dl_phdr_info* info, size_t, void* arg) {
    auto* out = static_cast<unsigned long long*>(arg);
    out[0] = info->dlpi_adds;
    out[1] = info->dlpi_subs;
    return 1;  // the first object is enough
  }
};

void ModuleMap::reset(std::string exe_path) {
  exe_path_ = std::move(exe_path);
  count_ = 0;
  next_id_ = 1;
  scanned_ = false;
}

void ModuleMap::keep_record(uint32_t index, const void* record, size_t size) {
  if (records_ == nullptr) records_ = static_cast<std::byte*>(map_zeroed(kMaxModules * kMaxRecordBytes));
  if (records_ == nullptr || size > kMaxRecordBytes) return;
  std::memcpy(kept_record(index), record, size);
  known_[index].record_size = static_cast<uint32_t>(size);
}

void ModuleMap::adopt_after_fork(bool loader_usable, bool consistent) {
  if (!consistent) {
    // A scan was under way at the fork: start over with what the loader
    // says, if it can say anything here.
    count_ = 0;
    scanned_ = false;
  }
  if (!loader_usable) frozen_ = true;
}

void ModuleMap::emit_known(Emit emit, void* context) const {
  for (uint32_t i = 0; i < count_; ++i)
    if (known_[i].record_size != 0) emit(context, kept_record(i), known_[i].record_size);
}

void ModuleMap::scan(Emit emit, void* context, uint64_t now, bool force) {
  if (frozen_) return;
  unsigned long long c[2] = {0, 0};
  dl_iterate_phdr(&ModuleScan::counters, c);
  if (!force && scanned_ && c[0] == adds_ && c[1] == subs_) return;
  adds_ = c[0];
  subs_ = c[1];
  scanned_ = true;
  for (uint32_t i = 0; i < count_; ++i) known_[i].seen = false;
  ModuleScan s{*this, emit, context, now};
  dl_iterate_phdr(&ModuleScan::visit, &s);
  // Objects no longer loaded: say so, and forget them.
  uint32_t kept = 0;
  for (uint32_t i = 0; i < count_; ++i) {
    if (known_[i].seen) {
      if (kept != i && known_[i].record_size != 0)
        std::memcpy(kept_record(kept), kept_record(i), known_[i].record_size);
      known_[kept++] = known_[i];
    } else {
      s.emit_unloaded(known_[i]);
    }
  }
  count_ = kept;
}

ModuleMap& module_map() {
  static ModuleMap map;
  return map;
}

}  // namespace contend::preload
