#include "process/futex_trap_sites.h"

#include <link.h>
#include <sys/auxv.h>
#include <algorithm>
#include <cstring>
#include <string_view>

namespace contend::preload {

namespace {

struct ScanContext {
  TextRange own;
  TextRange unwinder;
  uintptr_t vdso;
  SyscallSites* out;
};

bool overlaps(TextRange a, uintptr_t begin, uintptr_t end) {
  return a.begin < end && begin < a.end;
}

std::string_view base_name(const char* path) {
  std::string_view s(path != nullptr ? path : "");
  size_t slash = s.rfind('/');
  return slash == std::string_view::npos ? s : s.substr(slash + 1);
}

// The sanitizers' runtimes lock for themselves (their allocators, their
// thread registries); recording inside them could call back into them.
bool is_sanitizer_runtime(std::string_view name) {
  for (std::string_view prefix : {"libasan", "libtsan", "liblsan", "libubsan", "libhwasan", "libmsan"})
    if (name.substr(0, prefix.size()) == prefix) return true;
  return false;
}

int visit(dl_phdr_info* info, size_t, void* arg) {
  auto* c = static_cast<ScanContext*>(arg);
  std::string_view name = base_name(info->dlpi_name);
  std::string label = name.empty() ? std::string("(the executable)") : std::string(name);
  if (info->dlpi_addr == 0) {
    // Linked at a fixed address: exec'd again, the same code lands at the
    // same addresses, so a filter left behind would match it.
    c->out->skipped.push_back(label + ": fixed address (not position-independent)");
    std::vector<uint64_t> unseen;
    for (int i = 0; i < info->dlpi_phnum; ++i) {
      const ElfW(Phdr)& ph = info->dlpi_phdr[i];
      if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X) != 0 && (ph.p_flags & PF_R) != 0)
        find_syscall_candidates(reinterpret_cast<const uint8_t*>(ph.p_vaddr), ph.p_memsz, ph.p_vaddr, unseen);
    }
    c->out->fixed_address_sites += static_cast<uint32_t>(unseen.size());
    return 0;
  }
  struct Segment {
    uintptr_t begin, end;
    bool readable;
  };
  Segment code[8];
  int n = 0;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD) continue;
    uintptr_t begin = info->dlpi_addr + ph.p_vaddr;
    uintptr_t end = begin + ph.p_memsz;
    if (c->vdso >= begin && c->vdso < end) {
      c->out->skipped.push_back(label + ": the vDSO");
      return 0;
    }
    if ((ph.p_flags & PF_X) == 0) continue;
    if (overlaps(c->own, begin, end) || overlaps(c->unwinder, begin, end)) {
      c->out->skipped.push_back(label + ": the profiler's own code");
      return 0;
    }
    if (n < 8) code[n++] = Segment{begin, end, (ph.p_flags & PF_R) != 0};
  }
  if (n == 0) return 0;
  for (int i = 0; i < n; ++i) {
    if (!code[i].readable) {
      c->out->skipped.push_back(label + ": execute-only code");
      return 0;
    }
  }
  for (int i = 0; i < n; ++i) {
    find_syscall_candidates(reinterpret_cast<const uint8_t*>(code[i].begin), code[i].end - code[i].begin,
                            code[i].begin, c->out->sites);
    if (is_sanitizer_runtime(name)) c->out->record_free.push_back(TextRange{code[i].begin, code[i].end});
  }
  ++c->out->objects;
  return 0;
}

}  // namespace

void find_syscall_candidates(const uint8_t* bytes, uintptr_t size, uintptr_t base,
                             std::vector<uint64_t>& out) {
  if (size < 2) return;
  const uint8_t* p = bytes;
  const uint8_t* last = bytes + size - 1;  // a pair starts before the last byte
  while (p < last) {
    const void* hit = std::memchr(p, 0x0f, static_cast<size_t>(last - p));
    if (hit == nullptr) break;
    p = static_cast<const uint8_t*>(hit);
    if (p[1] == 0x05) out.push_back(base + static_cast<uintptr_t>(p - bytes) + 2);
    ++p;
  }
}

SyscallSites scan_syscall_sites(TextRange own, TextRange unwinder) {
  SyscallSites result;
  ScanContext c{own, unwinder, static_cast<uintptr_t>(getauxval(AT_SYSINFO_EHDR)), &result};
  dl_iterate_phdr(&visit, &c);
  std::sort(result.sites.begin(), result.sites.end());
  result.sites.erase(std::unique(result.sites.begin(), result.sites.end()), result.sites.end());
  return result;
}

uint64_t syscall_function_site(const void* syscall_function) {
  if (syscall_function == nullptr) return 0;
  std::vector<uint64_t> found;
  auto start = reinterpret_cast<uintptr_t>(syscall_function);
  find_syscall_candidates(static_cast<const uint8_t*>(syscall_function), 64, start, found);
  return found.empty() ? 0 : found.front();
}

}  // namespace contend::preload
