// Offline symbolization with elfutils' libdw: for an address in a recorded
// module, the function (demangled), source file and line, and the chain of
// inlined calls; for a lock in .data or .bss, its variable ("g_pool+64").
//
// Each module file is opened once (and checked against the recorded
// build-id); each address is resolved once. A missing file or a changed
// build-id gives module+offset and one warning, never a failure.
#pragma once

#include "model/address_space.h"
#include "symbolize/function_names.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace contend::analyze {

struct SourceFrame {
  std::string function;  // demangled, without parameters; "" when unknown
  std::string file;      // full path as in the debug info; "" when unknown
  int line = 0;
  bool inlined = false;  // inlined into the next frame
};

struct Symbolized {
  std::string module;               // file name of the module
  uint64_t offset = 0;              // ELF address within the module
  std::vector<SourceFrame> frames;  // innermost first; empty when unresolved
  // The machine function holding the address (the outermost frame): its
  // entry and size in bytes, from the symbol table or, in a stripped
  // module, from its unwind table; 0 when unknown.
  uint64_t function_entry = 0;
  uint64_t function_size = 0;
};

class Symbolizer {
 public:
  // `enabled` false: no file is read; addresses stay module+offset.
  explicit Symbolizer(bool enabled = true);
  ~Symbolizer();
  Symbolizer(const Symbolizer&) = delete;
  Symbolizer& operator=(const Symbolizer&) = delete;

  // A code address. `return_address`: a stack frame's return address, so
  // the call instruction before it is what is looked up.
  const Symbolized& code(const Module* module, uint64_t address, bool return_address);

  // The data symbol holding `address` ("g_pool" or "g_pool+64"), or "".
  std::string data_symbol(const Module* module, uint64_t address);

  // The names of the functions that the machine function at `entry` (of
  // `size` bytes, as Symbolized gives them) calls; empty when its code
  // cannot be read (symbolize/code_calls.h).
  const std::vector<std::string>& calls(const Module* module, uint64_t entry, uint64_t size);

  // The function that the call before `return_address` calls (runtime
  // address), or "" (symbolize/code_calls.h).
  std::string call_target(const Module* module, uint64_t return_address);

  // One line per module that could not be used.
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  struct ModuleFile;
  ModuleFile* open(const Module& module);

  std::map<std::string, std::unique_ptr<ModuleFile>> files_;                    // by path + build-id
  std::map<std::pair<const void*, uint64_t>, Symbolized> cache_;                // (file or module, address)
  std::map<std::pair<const void*, uint64_t>, std::vector<std::string>> calls_;  // (file, entry)
  std::vector<std::string> warnings_;
  bool enabled_;
};

}  // namespace contend::analyze
