#include "base/text_range.h"

#include <dlfcn.h>
#include <link.h>

namespace contend::preload {

namespace {

struct Search {
  uintptr_t address;
  TextRange found;
};

int visit(dl_phdr_info* info, size_t, void* arg) {
  auto* s = static_cast<Search*>(arg);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD || (ph.p_flags & PF_X) == 0) continue;
    uintptr_t begin = info->dlpi_addr + ph.p_vaddr;
    if (s->address >= begin && s->address < begin + ph.p_memsz) {
      s->found = TextRange{begin, begin + ph.p_memsz};
      return 1;
    }
  }
  return 0;
}

}  // namespace

TextRange text_range_of(const void* address) {
  Search search{reinterpret_cast<uintptr_t>(address), {}};
  dl_iterate_phdr(&visit, &search);
  return search.found;
}

}  // namespace contend::preload
