#include "elf_inspect.h"

#include <elf.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
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

// A NUL-terminated string of at most `size` bytes; empty if unreadable.
std::string read_string(std::ifstream& f, uint64_t offset, uint64_t size) {
  std::string s(size, '\0');
  f.seekg(static_cast<std::streamoff>(offset));
  if (!f.read(s.data(), static_cast<std::streamsize>(size))) {
    f.clear();
    return {};
  }
  return s.substr(0, s.find('\0'));
}

// What the kernel would do with a file that is not an ELF, from its first
// bytes (it reads 256 of them for the "#!" line).
void inspect_non_elf(std::ifstream& f, ProgramInfo& info) {
  char buf[256];
  f.clear();
  f.seekg(0);
  f.read(buf, sizeof(buf));
  std::string head(buf, static_cast<size_t>(f.gcount()));
  std::string line = head.substr(0, head.find('\n'));
  if (line.rfind("#!", 0) == 0) {
    // The kernel splits the line at spaces and tabs only: a "\r" stays in.
    size_t begin = line.find_first_not_of(" \t", 2);
    size_t end = begin == std::string::npos ? begin : line.find_first_of(" \t", begin);
    info.kind = ProgramKind::kScript;
    info.interpreter = begin == std::string::npos ? "" : line.substr(begin, end - begin);
  } else {
    // As bash decides "cannot execute binary file": a NUL in the first line.
    info.kind = line.find('\0') != std::string::npos ? ProgramKind::kUnknownBinary : ProgramKind::kShellText;
  }
}

}  // namespace

ProgramInfo inspect_program(const std::string& path) {
  ProgramInfo info;
  info.path = path;
  struct stat st;
  if (stat(path.c_str(), &st) != 0) throw std::runtime_error(path + ": " + std::strerror(errno));
  info.is_setuid = (st.st_mode & (S_ISUID | S_ISGID)) != 0;
  std::ifstream f(path, std::ios::binary);
  // An executable that is not readable (mode 0711): nothing can be checked.
  if (!f)
    throw std::runtime_error(path + ": cannot be read (" + std::strerror(errno) + "), contend must read it");
  Elf64_Ehdr eh;
  if (!read_at(f, 0, eh) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) {
    inspect_non_elf(f, info);
    return info;
  }
  if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_X86_64)
    throw std::runtime_error(path + ": not an x86-64 program");
  bool has_interp = false;
  Elf64_Phdr dynamic{};
  bool has_dynamic = false;
  for (uint16_t i = 0; i < eh.e_phnum; ++i) {
    Elf64_Phdr ph;
    if (!read_at(f, eh.e_phoff + uint64_t{i} * eh.e_phentsize, ph)) break;
    if (ph.p_type == PT_INTERP) {
      has_interp = true;
      info.interpreter = read_string(f, ph.p_offset, std::min<uint64_t>(ph.p_filesz, 4096));
    }
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
