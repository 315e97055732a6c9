#include "symbolize/code_calls.h"

#include "symbolize/function_names.h"

#include <gelf.h>

#include <cstring>
#include <map>
#include <optional>

namespace contend::analyze {

namespace {

struct Section {
  GElf_Shdr header;
  Elf_Data* data;
  std::string name;
};

std::vector<Section> sections(Elf* elf) {
  std::vector<Section> out;
  size_t strndx = 0;
  if (elf_getshdrstrndx(elf, &strndx) != 0) return out;
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
    Section s{};
    if (gelf_getshdr(scn, &s.header) == nullptr) continue;
    const char* name = elf_strptr(elf, strndx, s.header.sh_name);
    s.name = name != nullptr ? name : "";
    s.data = s.header.sh_type == SHT_NOBITS ? nullptr : elf_getdata(scn, nullptr);
    out.push_back(s);
  }
  return out;
}

const Section* section_of(const std::vector<Section>& all, uint64_t address) {
  for (const Section& s : all)
    if ((s.header.sh_flags & SHF_ALLOC) != 0 && address >= s.header.sh_addr &&
        address < s.header.sh_addr + s.header.sh_size)
      return &s;
  return nullptr;
}

// `n` bytes of code at `address`, or nothing when they are not all there.
std::optional<std::vector<unsigned char>> bytes_at(const std::vector<Section>& all, uint64_t address,
                                                   size_t n) {
  const Section* s = section_of(all, address);
  if (s == nullptr || s->data == nullptr || address + n > s->header.sh_addr + s->data->d_size)
    return std::nullopt;
  const auto* base = static_cast<const unsigned char*>(s->data->d_buf) + (address - s->header.sh_addr);
  return std::vector<unsigned char>(base, base + n);
}

// GOT slot -> the symbol its dynamic relocation binds (JUMP_SLOT, GLOB_DAT).
std::map<uint64_t, std::string> got_symbols(Elf* elf, const std::vector<Section>& all) {
  std::map<uint64_t, std::string> out;
  for (const Section& s : all) {
    if (s.header.sh_type != SHT_RELA || s.data == nullptr) continue;
    Elf_Scn* symscn = elf_getscn(elf, s.header.sh_link);
    GElf_Shdr symhdr;
    if (symscn == nullptr || gelf_getshdr(symscn, &symhdr) == nullptr) continue;
    Elf_Data* symdata = elf_getdata(symscn, nullptr);
    size_t count = s.header.sh_entsize == 0 ? 0 : s.header.sh_size / s.header.sh_entsize;
    for (size_t i = 0; i < count; ++i) {
      GElf_Rela rela;
      GElf_Sym sym;
      if (gelf_getrela(s.data, static_cast<int>(i), &rela) == nullptr) continue;
      size_t symndx = GELF_R_SYM(rela.r_info);
      if (symndx == 0 || symdata == nullptr ||
          gelf_getsym(symdata, static_cast<int>(symndx), &sym) == nullptr)
        continue;
      if (const char* name = elf_strptr(elf, symhdr.sh_link, sym.st_name)) out[rela.r_offset] = name;
    }
  }
  return out;
}

int32_t rel32(const std::vector<unsigned char>& code, size_t at) {
  int32_t v;
  std::memcpy(&v, code.data() + at, sizeof(v));
  return v;
}

}  // namespace

std::vector<std::string> called_functions(Dwfl_Module* module, uint64_t entry, uint64_t size) {
  std::vector<std::string> out;
  GElf_Addr bias = 0;
  Elf* elf = module != nullptr ? dwfl_module_getelf(module, &bias) : nullptr;
  if (elf == nullptr || size == 0 || size > 4096) return out;
  std::vector<Section> all = sections(elf);
  std::optional<std::vector<unsigned char>> code = bytes_at(all, entry, size);
  if (!code) return out;
  std::map<uint64_t, std::string> got = got_symbols(elf, all);
  auto name_of_got = [&](uint64_t slot) {
    auto it = got.find(slot);
    return it == got.end() ? std::string() : it->second;
  };
  auto name_of = [&](uint64_t target) -> std::string {
    const Section* s = section_of(all, target);
    if (s != nullptr && s->name.rfind(".plt", 0) == 0) {
      // A PLT stub jumps through its GOT slot: "jmp *disp(%rip)", maybe
      // behind endbr64 or a bnd prefix.
      if (auto stub = bytes_at(all, target, 16)) {
        for (size_t i = 0; i + 6 <= stub->size(); ++i)
          if ((*stub)[i] == 0xff && (*stub)[i + 1] == 0x25)
            return name_of_got(target + i + 6 + static_cast<int64_t>(rel32(*stub, i + 2)));
      }
      return "";
    }
    GElf_Off off = 0;
    GElf_Sym sym;
    const char* name = dwfl_module_addrinfo(module, target + bias, &off, &sym, nullptr, nullptr, nullptr);
    return name != nullptr && off == 0 ? readable_function_name(name) : "";
  };
  // Every byte is tried as an instruction start: a false match would also
  // have to land on a function's first byte or on a GOT slot.
  for (size_t i = 0; i + 5 <= code->size(); ++i) {
    uint8_t op = (*code)[i];
    if (op == 0xe8 || op == 0xe9) {  // call / jmp rel32
      uint64_t target = entry + i + 5 + static_cast<int64_t>(rel32(*code, i + 1));
      if (target >= entry && target < entry + size) continue;  // within the function
      if (section_of(all, target) != nullptr) out.push_back(name_of(target));
    } else if (op == 0xff && i + 6 <= code->size() && ((*code)[i + 1] == 0x15 || (*code)[i + 1] == 0x25)) {
      uint64_t slot = entry + i + 6 + static_cast<int64_t>(rel32(*code, i + 2));  // call/jmp *disp(%rip)
      if (got.count(slot) != 0) out.push_back(name_of_got(slot));
    }
  }
  return out;
}

std::string call_target(Dwfl_Module* module, uint64_t return_address) {
  // The call is the last instruction before the return address: "call
  // rel32" (5 bytes) or "call *disp(%rip)" (6 bytes). Read it as the
  // calls of a 6-byte function ending there.
  if (return_address < 6) return "";
  for (const std::string& name : called_functions(module, return_address - 6, 6))
    if (!name.empty()) return name;
  return "";
}

}  // namespace contend::analyze
