#include "record/library_imports.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cstdint>
#include <cstring>

namespace contend::preload {

namespace {

struct Tables {
  const ElfW(Sym) * symbols = nullptr;
  const char* strings = nullptr;
  const ElfW(Rela) * plt = nullptr;  // DT_JMPREL: calls through the PLT
  size_t plt_bytes = 0;
  const ElfW(Rela) * data = nullptr;  // DT_RELA: GLOB_DAT, calls without a PLT
  size_t data_bytes = 0;
};

// glibc rewrites these entries to addresses when it loads a library; other
// loaders may leave them as offsets from the base.
uintptr_t address_of(ElfW(Addr) value, uintptr_t base) {
  return value < base ? value + base : value;
}

Tables tables_of(const link_map* map) {
  Tables t;
  uintptr_t base = map->l_addr;
  for (const ElfW(Dyn)* d = map->l_ld; d->d_tag != DT_NULL; ++d) {
    switch (d->d_tag) {
      case DT_SYMTAB: t.symbols = reinterpret_cast<const ElfW(Sym)*>(address_of(d->d_un.d_ptr, base)); break;
      case DT_STRTAB: t.strings = reinterpret_cast<const char*>(address_of(d->d_un.d_ptr, base)); break;
      case DT_JMPREL: t.plt = reinterpret_cast<const ElfW(Rela)*>(address_of(d->d_un.d_ptr, base)); break;
      case DT_PLTRELSZ: t.plt_bytes = d->d_un.d_val; break;
      case DT_RELA: t.data = reinterpret_cast<const ElfW(Rela)*>(address_of(d->d_un.d_ptr, base)); break;
      case DT_RELASZ: t.data_bytes = d->d_un.d_val; break;
      default: break;
    }
  }
  return t;
}

// The library's read-only-after-relocation range (PT_GNU_RELRO), where a
// slot must be made writable for the moment of the write.
struct Relro {
  uintptr_t base = 0;
  uintptr_t start = 0;
  uintptr_t end = 0;
};

int find_relro(dl_phdr_info* info, size_t, void* data) {
  auto* relro = static_cast<Relro*>(data);
  if (info->dlpi_addr != relro->base) return 0;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_GNU_RELRO) continue;
    relro->start = relro->base + ph.p_vaddr;
    relro->end = relro->start + ph.p_memsz;
  }
  return 1;
}

bool write_slot(void** slot, void* value, const Relro& relro) {
  auto at = reinterpret_cast<uintptr_t>(slot);
  auto page_size = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  uintptr_t mask = ~(page_size - 1);
  // The loader protects the whole pages of the range only (both ends
  // rounded down): a slot on the last, partial page stays writable.
  if (at < (relro.start & mask) || at >= (relro.end & mask)) {
    *slot = value;
    return true;
  }
  void* page = reinterpret_cast<void*>(at & mask);
  if (mprotect(page, page_size, PROT_READ | PROT_WRITE) != 0) return false;
  *slot = value;
  mprotect(page, page_size, PROT_READ);
  return true;
}

size_t replace_in(const ElfW(Rela) * relocations, size_t bytes, const Tables& t, uintptr_t base,
                  const Relro& relro, const ImportReplacement* list, size_t count) {
  size_t replaced = 0;
  for (size_t i = 0; relocations != nullptr && i < bytes / sizeof(ElfW(Rela)); ++i) {
    const ElfW(Rela)& r = relocations[i];
    auto type = ELF64_R_TYPE(r.r_info);
    if (type != R_X86_64_JUMP_SLOT && type != R_X86_64_GLOB_DAT) continue;
    const char* name = t.strings + t.symbols[ELF64_R_SYM(r.r_info)].st_name;
    for (size_t k = 0; k < count; ++k) {
      if (std::strcmp(name, list[k].name) != 0) continue;
      if (write_slot(reinterpret_cast<void**>(base + r.r_offset), list[k].replacement, relro)) ++replaced;
    }
  }
  return replaced;
}

}  // namespace

size_t replace_library_imports(void* handle, const ImportReplacement* list, size_t count) {
  link_map* map = nullptr;
  if (handle == nullptr || dlinfo(handle, RTLD_DI_LINKMAP, &map) != 0 || map == nullptr) return 0;
  Tables t = tables_of(map);
  if (t.symbols == nullptr || t.strings == nullptr) return 0;
  Relro relro;
  relro.base = map->l_addr;
  dl_iterate_phdr(find_relro, &relro);
  return replace_in(t.plt, t.plt_bytes, t, map->l_addr, relro, list, count) +
         replace_in(t.data, t.data_bytes, t, map->l_addr, relro, list, count);
}

}  // namespace contend::preload
