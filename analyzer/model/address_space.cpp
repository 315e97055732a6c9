#include "model/address_space.h"

#include <elf.h>
#include <fmt/format.h>

namespace contend::analyze {

void AddressSpace::add(const format::ModuleRecord& r, const std::vector<format::ModuleSegment>& segments,
                       std::string path) {
  if ((r.flags & format::kModuleUnloaded) != 0) {
    for (Module& m : modules_)
      if (m.id == r.module_id && m.unloaded_at == UINT64_MAX) m.unloaded_at = r.time;
    return;
  }
  Module m;
  m.id = r.module_id;
  m.path = std::move(path);
  for (uint8_t i = 0; i < r.build_id_size && i < sizeof(r.build_id); ++i)
    m.build_id += fmt::format("{:02x}", r.build_id[i]);
  m.bias = r.base;
  m.main_program = (r.flags & format::kModuleMainProgram) != 0;
  m.loaded_at = r.time;
  for (const auto& s : segments) m.segments.push_back(Module::Segment{s.vaddr, s.memsz, s.flags});
  modules_.push_back(std::move(m));
}

const Module* AddressSpace::find(uint64_t address, uint64_t when, bool* writable) const {
  const Module* best = nullptr;
  for (const Module& m : modules_) {
    for (const auto& s : m.segments) {
      uint64_t begin = m.bias + s.vaddr;
      if (address < begin || address >= begin + s.memsz) continue;
      bool alive = when == 0 || (when >= m.loaded_at && when < m.unloaded_at);
      if (best == nullptr || alive) {
        best = &m;
        if (writable != nullptr) *writable = (s.flags & PF_W) != 0;
      }
      if (alive) return best;
    }
  }
  return best;
}

}  // namespace contend::analyze
