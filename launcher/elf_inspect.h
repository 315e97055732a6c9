// What the launcher must know about a program before preloading into it.
#pragma once

#include <string>
#include <vector>

namespace contend::launch {

struct ProgramInfo {
  std::string path;                 // resolved through PATH
  bool is_elf = false;              // false: a script, run by its interpreter
  bool is_static = false;           // ELF without an interpreter: LD_PRELOAD cannot work
  bool is_setuid = false;           // setuid/setgid: the loader ignores LD_PRELOAD
  std::vector<std::string> needed;  // DT_NEEDED entries
};

// Finds `name` like execvp does. Empty when not found.
std::string find_program(const std::string& name);

// Reads the ELF headers of `path`. Throws std::runtime_error with a
// one-line reason when the file cannot be read.
ProgramInfo inspect_program(const std::string& path);

}  // namespace contend::launch
