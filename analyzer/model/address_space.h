// The objects a process had loaded (from its MODULE records) and which of
// them an address falls in.
#pragma once

#include <contend/trace_format.h>

#include <cstdint>
#include <string>
#include <vector>

namespace contend::analyze {

struct Module {
  uint32_t id = 0;
  std::string path;
  std::string build_id;  // hex
  uint64_t bias = 0;     // runtime address = bias + ELF virtual address
  bool main_program = false;
  struct Segment {
    uint64_t vaddr;
    uint64_t memsz;
    uint32_t flags;  // PF_*
  };
  std::vector<Segment> segments;
  uint64_t loaded_at = 0;
  uint64_t unloaded_at = UINT64_MAX;  // ticks

  std::string name() const { return path.substr(path.rfind('/') + 1); }
  // ELF virtual address of a runtime address in this module.
  uint64_t file_address(uint64_t runtime) const { return runtime - bias; }
};

class AddressSpace {
 public:
  // A MODULE record (loaded or unloaded).
  void add(const format::ModuleRecord& r, const std::vector<format::ModuleSegment>& segments,
           std::string path);

  // The module holding `address` (preferring one loaded at `when`, ticks,
  // when a range was reused), and whether it holds it in a writable segment.
  const Module* find(uint64_t address, uint64_t when = 0, bool* writable = nullptr) const;

  const std::vector<Module>& modules() const { return modules_; }

 private:
  std::vector<Module> modules_;
};

}  // namespace contend::analyze
