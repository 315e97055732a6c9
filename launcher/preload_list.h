// Building the child's LD_PRELOAD: our library, after an ASan runtime the
// program needs (ASan insists on being first), before whatever the user
// already preloads (jemalloc, tcmalloc...).
#pragma once

#include "elf_inspect.h"

#include <string>

namespace contend::launch {

// The path of libcontend.so for a launcher at `launcher_path`: installed
// next to it (../lib/..., as configured at build time) or in the build tree.
std::string find_library(const std::string& launcher_path);

// The ASan runtime a program was linked against, or empty.
std::string asan_runtime_for(const ProgramInfo& program);

std::string make_ld_preload(const std::string& library, const std::string& asan_runtime,
                            const char* existing);

}  // namespace contend::launch
