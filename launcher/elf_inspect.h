// What the launcher must know about a program before preloading into it.
#pragma once

#include <string>
#include <vector>

namespace contend::launch {

enum class ProgramKind {
  kElf,
  kScript,         // "#!": the kernel runs its interpreter
  kShellText,      // text without "#!": shells and execvp run it with /bin/sh
  kUnknownBinary,  // neither: nothing can run it
};

struct ProgramInfo {
  std::string path;  // resolved through PATH
  ProgramKind kind = ProgramKind::kElf;
  bool is_static = false;           // ELF without an interpreter: LD_PRELOAD cannot work
  bool is_setuid = false;           // setuid/setgid: the loader ignores LD_PRELOAD
  std::string interpreter;          // ELF: its loader (PT_INTERP); script: the "#!" interpreter, as written
  std::vector<std::string> needed;  // DT_NEEDED entries
};

// Reads the first bytes and the ELF headers of `path`. Throws
// std::runtime_error with a one-line reason ("PATH: not an x86-64
// program") when the file cannot be read or is an ELF for another machine.
ProgramInfo inspect_program(const std::string& path);

}  // namespace contend::launch
