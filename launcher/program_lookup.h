// Finding the program as execvp(3) and the shells do, and when it cannot
// run, saying why in one line with the shells' exit status: 127 when
// something is missing (the program, its "#!" interpreter, its ELF loader),
// 126 when it is there but cannot be executed.
#pragma once

#include "elf_inspect.h"
#include "exit_codes.h"

#include <optional>
#include <string>

namespace contend::launch {

struct Lookup {
  std::string path;  // what to execute; empty when refused
  Refusal refusal;
};

// `name` with a slash is a path; otherwise the first executable regular
// file of that name in PATH.
Lookup find_program(const std::string& name);

// What inspect_program found that the kernel would refuse to run.
std::optional<Refusal> check_runnable(const ProgramInfo& info);

}  // namespace contend::launch
