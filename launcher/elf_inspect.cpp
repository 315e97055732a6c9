#include "elf_inspect.h"

#include <elf.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace contend::launch {

namespace {

template <typename T>
bool read_at(std::ifstream& f, uint64_t offset, T& out) {
  f.seekg(static_cast<std::streamoff>(offset));
  f.read(reinterpret_cast<char*>(&out), sizeof(T));
  return static_cast<bool>(f);
}

bool executable_file(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(p.c_str(), X_OK) == 0;
}

}  // namespace

std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return executable_file(name) ? name : std::string();
  const char* env = getenv("PATH");
  std::string path = env != nullptr ? env : "/usr/local/bin:/usr/bin:/bin";
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t end = path.find(':', pos);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(pos, end - pos);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (executable_file(candidate)) return candidate;
    pos = end + 1;
  }
  return {};
}

ProgramInfo inspect_program(const std::string& path) {
  ProgramInfo info;
  info.path = path;
  struct stat st;
  if (stat(path.c_str(), &st) != 0) throw std::runtime_error(path + ": " + std::strerror(errno));
  info.is_setuid = (st.st_mode & (S_ISUID | S_ISGID)) != 0;
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error(path + ": cannot be read");
  Elf64_Ehdr eh;
  if (!read_at(f, 0, eh) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) return info;  // a script
  info.is_elf = true;
  if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_X86_64)
    throw std::runtime_error(path + ": not an x86-64 program");
  bool has_interp = false;
  Elf64_Phdr dynamic{};
  bool has_dynamic = false;
  for (uint16_t i = 0; i < eh.e_phnum; ++i) {
    Elf64_Phdr ph;
    if (!read_at(f, eh.e_phoff + uint64_t{i} * eh.e_phentsize, ph)) break;
    if (ph.p_type == PT_INTERP) has_interp = true;
    if (ph.p_type == PT_DYNAMIC) {
      dynamic = ph;
      has_dynamic = true;
    }
  }
  info.is_static = !has_interp;
  if (!has_dynamic) return info;
  // DT_NEEDED names are offsets into DT_STRTAB, a virtual address: map it
  // back to a file offset through the loadable segments.
  std::vector<Elf64_Dyn> dyns;
  for (uint64_t off = 0; off + sizeof(Elf64_Dyn) <= dynamic.p_filesz; off += sizeof(Elf64_Dyn)) {
    Elf64_Dyn d;
    if (!read_at(f, dynamic.p_offset + off, d) || d.d_tag == DT_NULL) break;
    dyns.push_back(d);
  }
  uint64_t strtab_vaddr = 0;
  for (const auto& d : dyns)
    if (d.d_tag == DT_STRTAB) strtab_vaddr = d.d_un.d_ptr;
  uint64_t strtab_offset = 0;
  for (uint16_t i = 0; i < eh.e_phnum; ++i) {
    Elf64_Phdr ph;
    if (!read_at(f, eh.e_phoff + uint64_t{i} * eh.e_phentsize, ph)) break;
    if (ph.p_type == PT_LOAD && strtab_vaddr >= ph.p_vaddr && strtab_vaddr < ph.p_vaddr + ph.p_filesz)
      strtab_offset = strtab_vaddr - ph.p_vaddr + ph.p_offset;
  }
  if (strtab_offset == 0) return info;
  for (const auto& d : dyns) {
    if (d.d_tag != DT_NEEDED) continue;
    f.seekg(static_cast<std::streamoff>(strtab_offset + d.d_un.d_val));
    std::string name;
    std::getline(f, name, '\0');
    if (f) info.needed.push_back(name);
  }
  return info;
}

}  // namespace contend::launch
