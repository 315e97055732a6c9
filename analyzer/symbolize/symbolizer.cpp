#include "symbolize/symbolizer.h"

#include "symbolize/code_calls.h"
#include "symbolize/debug_symbols_hint.h"
#include "symbolize/dwarf_function_name.h"
#include "symbolize/function_names.h"

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <fmt/format.h>

#include <dwarf.h>
#include <unistd.h>
#include <cstdlib>
#include <cstring>

namespace contend::analyze {

namespace {

const Dwfl_Callbacks kOfflineCallbacks = {
    dwfl_build_id_find_elf,
    dwfl_standard_find_debuginfo,
    dwfl_offline_section_address,
    nullptr,
};

std::string hex(const unsigned char* bytes, int size) {
  std::string out;
  for (int i = 0; i < size; ++i) out += fmt::format("{:02x}", bytes[i]);
  return out;
}

// The function around `pc` from the unwind tables, which stripping keeps:
// one frame description entry covers one function.
void function_extent(Dwfl_Module* module, Dwarf_Addr pc, Symbolized& out) {
  for (int eh = 0; eh < 2; ++eh) {
    Dwarf_Addr bias = 0;
    Dwarf_CFI* cfi = eh == 0 ? dwfl_module_eh_cfi(module, &bias) : dwfl_module_dwarf_cfi(module, &bias);
    Dwarf_Frame* frame = nullptr;
    if (cfi == nullptr || dwarf_cfi_addrframe(cfi, pc - bias, &frame) != 0) continue;
    Dwarf_Addr start = 0, end = 0;
    bool signal = false;
    if (dwarf_frame_info(frame, &start, &end, &signal) >= 0 && end > start) {
      out.function_entry = start + bias;
      out.function_size = end - start;
    }
    std::free(frame);
    return;
  }
}

}  // namespace

struct Symbolizer::ModuleFile {
  Dwfl* dwfl = nullptr;
  Dwfl_Module* module = nullptr;
  bool usable = false;  // readable, and the build the trace recorded
  bool hinted = false;  // told the user where its missing names would come from
  ~ModuleFile() {
    if (dwfl != nullptr) dwfl_end(dwfl);
  }
};

Symbolizer::Symbolizer(bool enabled) : enabled_(enabled) {}
Symbolizer::~Symbolizer() = default;

Symbolizer::ModuleFile* Symbolizer::open(const Module& m) {
  std::string key = m.path + "\n" + m.build_id;
  auto it = files_.find(key);
  if (it != files_.end()) return it->second->usable ? it->second.get() : nullptr;
  auto file = std::make_unique<ModuleFile>();
  ModuleFile* result = nullptr;
  if (!enabled_) {
    // Symbolization off: module+offset only.
  } else if (m.path.empty() || m.path[0] != '/' || access(m.path.c_str(), R_OK) != 0) {
    // linux-vdso.so.1 and friends have no file; only real files deserve a word.
    if (!m.path.empty() && m.path[0] == '/')
      warnings_.push_back(
          fmt::format("{}: cannot be read; its addresses are shown as module+offset", m.path));
  } else {
    file->dwfl = dwfl_begin(&kOfflineCallbacks);
    if (file->dwfl != nullptr) {
      dwfl_report_begin(file->dwfl);
      // Base 0: the module's addresses are its ELF virtual addresses.
      file->module = dwfl_report_elf(file->dwfl, m.name().c_str(), m.path.c_str(), -1, 0, false);
      dwfl_report_end(file->dwfl, nullptr, nullptr);
    }
    if (file->module == nullptr) {
      warnings_.push_back(
          fmt::format("{}: not a readable ELF file ({}); its addresses are shown as module+offset", m.path,
                      dwfl_errmsg(-1)));
    } else {
      const unsigned char* bits = nullptr;
      GElf_Addr vaddr = 0;
      int size = dwfl_module_build_id(file->module, &bits, &vaddr);
      std::string found = size > 0 ? hex(bits, size) : std::string();
      if (!m.build_id.empty() && found != m.build_id) {
        warnings_.push_back(
            fmt::format("{}: changed since it was profiled (build-id {} is now {}); its addresses "
                        "are shown as module+offset",
                        m.path, m.build_id, found.empty() ? "none" : found));
      } else {
        file->usable = true;
        result = file.get();
      }
    }
  }
  files_.emplace(key, std::move(file));
  return result;
}

const Symbolized& Symbolizer::code(const Module* m, uint64_t address, bool return_address) {
  if (m == nullptr) {
    // Not in any recorded module (JIT code, or a missing MODULE record).
    auto [it, fresh] = cache_.try_emplace({nullptr, address});
    if (fresh) it->second.offset = address;
    return it->second;
  }
  ModuleFile* file = open(*m);
  uint64_t rel = m->file_address(address);
  // An unreadable module's addresses are cached under the module itself.
  const void* owner = file != nullptr ? static_cast<const void*>(file) : static_cast<const void*>(m);
  auto [it, fresh] = cache_.try_emplace({owner, rel});
  Symbolized& out = it->second;
  if (!fresh) return out;
  out.module = m->name();
  out.offset = rel;
  if (file == nullptr) return out;
  // A return address points after the call: look up the call itself.
  Dwarf_Addr pc = return_address && rel > 0 ? rel - 1 : rel;
  Dwarf_Addr bias = 0;
  Dwarf_Die* cu = dwfl_module_addrdie(file->module, pc, &bias);
  std::string line_file;
  int line = 0;
  if (Dwfl_Line* l = dwfl_module_getsrc(file->module, pc)) {
    if (const char* f = dwfl_lineinfo(l, nullptr, &line, nullptr, nullptr, nullptr)) line_file = f;
  }
  Dwarf_Die* scopes = nullptr;
  int n = cu != nullptr ? dwarf_getscopes(cu, pc - bias, &scopes) : 0;
  // dwarf_getscopes continues into an inlined function's abstract
  // definition; the concrete chain of callers is the nesting of the
  // innermost inlined instance itself.
  for (int i = 0; i < n; ++i) {
    int tag = dwarf_tag(&scopes[i]);
    if (tag == DW_TAG_subprogram) break;
    if (tag != DW_TAG_inlined_subroutine) continue;
    Dwarf_Die innermost = scopes[i];
    std::free(scopes);
    scopes = nullptr;
    n = dwarf_getscopes_die(&innermost, &scopes);
    break;
  }
  if (n > 0) {
    // Innermost first: each inlined subroutine, then the function it is in.
    Dwarf_Files* files = nullptr;
    size_t nfiles = 0;
    dwarf_getsrcfiles(cu, &files, &nfiles);
    std::string file_here = line_file;
    int line_here = line;
    for (int i = 0; i < n; ++i) {
      int tag = dwarf_tag(&scopes[i]);
      if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram) continue;
      out.frames.push_back(
          SourceFrame{die_function_name(&scopes[i]), file_here, line_here, tag == DW_TAG_inlined_subroutine});
      if (tag == DW_TAG_subprogram) break;
      // Where this inlined call sits in its caller.
      Dwarf_Attribute attr;
      Dwarf_Word call_file = 0, call_line = 0;
      if (dwarf_attr(&scopes[i], DW_AT_call_file, &attr) != nullptr) dwarf_formudata(&attr, &call_file);
      if (dwarf_attr(&scopes[i], DW_AT_call_line, &attr) != nullptr) dwarf_formudata(&attr, &call_line);
      const char* f = files != nullptr ? dwarf_filesrc(files, call_file, nullptr, nullptr) : nullptr;
      file_here = f != nullptr ? f : "";
      line_here = static_cast<int>(call_line);
    }
    std::free(scopes);
  }
  GElf_Off off = 0;
  GElf_Sym sym;
  const char* name = dwfl_module_addrinfo(file->module, pc, &off, &sym, nullptr, nullptr, nullptr);
  if (name != nullptr && sym.st_size > 0) {
    out.function_entry = pc - off;
    out.function_size = sym.st_size;
  } else {
    function_extent(file->module, pc, out);
  }
  if (out.frames.empty()) {
    // No debug info: the symbol table still names the function.
    if (name != nullptr) {
      out.frames.push_back(SourceFrame{readable_function_name(name), line_file, line, false});
    } else if (!file->hinted) {
      file->hinted = true;
      warnings_.push_back(debug_symbols_hint(m->path, m->build_id, owning_package(m->path)));
    }
  }
  return out;
}

const std::vector<std::string>& Symbolizer::calls(const Module* m, uint64_t entry, uint64_t size) {
  ModuleFile* file = m != nullptr ? open(*m) : nullptr;
  auto [it, fresh] = calls_.try_emplace({file, entry});
  if (fresh && file != nullptr) it->second = called_functions(file->module, entry, size);
  return it->second;
}

std::string Symbolizer::call_target(const Module* m, uint64_t return_address) {
  ModuleFile* file = m != nullptr ? open(*m) : nullptr;
  return file == nullptr ? "" : analyze::call_target(file->module, m->file_address(return_address));
}

std::string Symbolizer::data_symbol(const Module* m, uint64_t address) {
  if (m == nullptr) return "";
  ModuleFile* file = open(*m);
  if (file == nullptr) return "";
  GElf_Off off = 0;
  GElf_Sym sym;
  const char* name =
      dwfl_module_addrinfo(file->module, m->file_address(address), &off, &sym, nullptr, nullptr, nullptr);
  if (name == nullptr || GELF_ST_TYPE(sym.st_info) != STT_OBJECT) return "";
  std::string readable = readable_function_name(name);
  return off == 0 ? readable : fmt::format("{}+{}", readable, off);
}

}  // namespace contend::analyze
