#include "symbolize/symbolizer.h"

#include "symbolize/debug_symbols_hint.h"

// From libiberty's demangle.h, whose other declarations clash with glibc's
// string.h (basename) in C++.
extern "C" char* rust_demangle(const char* mangled, int options);

#include <cxxabi.h>
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

// Drops a trailing "(...)" parameter list (and what follows it, such as
// " const"), minding nested parentheses inside template arguments.
std::string drop_parameters(std::string name) {
  if (name.empty() || name.find('(') == std::string::npos) return name;
  int depth = 0;
  for (size_t i = name.size(); i-- > 0;) {
    if (name[i] == ')') ++depth;
    if (name[i] == '(' && --depth == 0) {
      // "operator()" keeps its own parentheses.
      if (i >= 8 && name.compare(i - 8, 8, "operator") == 0) continue;
      return name.substr(0, i);
    }
  }
  return name;
}

std::string hex(const unsigned char* bytes, int size) {
  std::string out;
  for (int i = 0; i < size; ++i) out += fmt::format("{:02x}", bytes[i]);
  return out;
}

// Follows DW_AT_abstract_origin and DW_AT_specification to the DIE that
// declares a function, where its enclosing namespaces and classes are.
Dwarf_Die declaration_of(Dwarf_Die die) {
  for (int hops = 0; hops < 8; ++hops) {
    Dwarf_Attribute attr;
    Dwarf_Die next;
    if (dwarf_attr(&die, DW_AT_abstract_origin, &attr) == nullptr &&
        dwarf_attr(&die, DW_AT_specification, &attr) == nullptr)
      break;
    if (dwarf_formref_die(&attr, &next) == nullptr) break;
    die = next;
  }
  return die;
}

// "ns::Class::function" from the declaration's enclosing scopes, for
// functions whose DIEs carry no linkage name (often the inlined ones).
std::string qualified_name(Dwarf_Die* die, const char* name) {
  Dwarf_Die decl = declaration_of(*die);
  Dwarf_Die* scopes = nullptr;
  int n = dwarf_getscopes_die(&decl, &scopes);
  std::string out = name;
  for (int i = 1; i < n; ++i) {  // scopes[0] is the declaration itself
    int tag = dwarf_tag(&scopes[i]);
    if (tag != DW_TAG_namespace && tag != DW_TAG_class_type && tag != DW_TAG_structure_type &&
        tag != DW_TAG_union_type)
      continue;
    const char* part = dwarf_diename(&scopes[i]);
    out = std::string(part != nullptr ? part : "(anonymous namespace)") + "::" + out;
  }
  std::free(scopes);
  return out;
}

// The name of a subprogram or inlined subroutine DIE.
std::string die_function_name(Dwarf_Die* die) {
  Dwarf_Attribute attr;
  for (int at : {DW_AT_linkage_name, DW_AT_MIPS_linkage_name}) {
    if (dwarf_attr_integrate(die, at, &attr) != nullptr) {
      if (const char* s = dwarf_formstring(&attr)) return readable_function_name(s);
    }
  }
  const char* name = dwarf_diename(die);
  return name != nullptr ? qualified_name(die, name) : "";
}

}  // namespace

std::string readable_function_name(const char* symbol) {
  if (symbol == nullptr) return "";
  // Rust, both manglings (v0 "_R...", and legacy "_ZN...17h<hash>E", which
  // would otherwise read as C++ with its hash): libiberty's demangler,
  // hashes dropped. It answers nullptr for anything else.
  if (symbol[0] == '_' && (symbol[1] == 'R' || symbol[1] == 'Z')) {
    if (char* rust = rust_demangle(symbol, 0)) {
      std::string out = rust;
      std::free(rust);
      return out;
    }
  }
  if (symbol[0] == '_' && symbol[1] == 'Z') {
    int status = 0;
    char* demangled = abi::__cxa_demangle(symbol, nullptr, nullptr, &status);
    if (status == 0 && demangled != nullptr) {
      std::string out = drop_parameters(demangled);
      std::free(demangled);
      return out;
    }
    std::free(demangled);
  }
  return symbol;
}

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
  if (out.frames.empty()) {
    // No debug info: the symbol table still names the function.
    GElf_Off off = 0;
    GElf_Sym sym;
    const char* name = dwfl_module_addrinfo(file->module, pc, &off, &sym, nullptr, nullptr, nullptr);
    if (name != nullptr) {
      out.frames.push_back(SourceFrame{readable_function_name(name), line_file, line, false});
    } else if (!file->hinted) {
      file->hinted = true;
      warnings_.push_back(debug_symbols_hint(m->path, m->build_id, owning_package(m->path)));
    }
  }
  return out;
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
