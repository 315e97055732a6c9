// What every run of a program under the profiler needs first (contend and
// contend sweep alike): the program found and checked (LD_PRELOAD must be
// able to reach it), the library found, and the child's environment.
#pragma once

#include "command_line.h"
#include "elf_inspect.h"
#include "exit_codes.h"

#include <string>
#include <variant>

namespace contend::launch {

struct PreparedProgram {
  std::string path;  // what to execute
  ProgramInfo info;
  std::string library;  // libcontend.so
};

// `name` as the user wrote it; `launcher_path` locates the library. A
// Refusal says in one line why nothing can run, with its exit status.
std::variant<PreparedProgram, Refusal> prepare_program(const std::string& name,
                                                       const std::string& launcher_path);

// LD_PRELOAD (after an ASan runtime the program needs, before what is
// preloaded already) and the CONTEND_* variables `options` ask for, in this
// process's environment, which the child inherits.
void set_child_environment(const Options& options, const PreparedProgram& program);

// The launcher's own path, from /proc/self/exe (argv[0] when unreadable).
std::string self_path(const char* argv0);

}  // namespace contend::launch
