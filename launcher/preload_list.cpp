#include "preload_list.h"

#include <glob.h>
#include <unistd.h>

#ifndef CONTEND_LIBDIR_FROM_BINDIR
#define CONTEND_LIBDIR_FROM_BINDIR "../lib"
#endif

namespace contend::launch {

namespace {

std::string dirname_of(const std::string& p) {
  size_t slash = p.rfind('/');
  return slash == std::string::npos ? "." : p.substr(0, slash);
}

bool readable(const std::string& p) {
  return access(p.c_str(), R_OK) == 0;
}

}  // namespace

std::string find_library(const std::string& launcher_path) {
  if (const char* env = getenv("CONTEND_LIBRARY"); env != nullptr && *env != '\0') return env;
  std::string bindir = dirname_of(launcher_path);
  for (const char* rel : {CONTEND_LIBDIR_FROM_BINDIR, "../lib"}) {
    std::string candidate = bindir + "/" + rel + "/libcontend.so";
    if (readable(candidate)) {
      char resolved[4096];
      return realpath(candidate.c_str(), resolved) != nullptr ? resolved : candidate;
    }
  }
  return {};
}

std::string asan_runtime_for(const ProgramInfo& program) {
  for (const std::string& needed : program.needed) {
    if (needed.rfind("libasan.so", 0) != 0) continue;
    // Where Debian's gcc and clang put their runtimes.
    for (const char* pattern :
         {"/lib/x86_64-linux-gnu/", "/usr/lib/x86_64-linux-gnu/", "/usr/lib/gcc/x86_64-linux-gnu/*/",
          "/usr/lib/llvm-*/lib/clang/*/lib/linux/"}) {
      glob_t g;
      std::string pat = std::string(pattern) + needed;
      if (glob(pat.c_str(), 0, nullptr, &g) == 0 && g.gl_pathc > 0) {
        std::string found = g.gl_pathv[0];
        globfree(&g);
        return found;
      }
      globfree(&g);
    }
  }
  return {};
}

std::string make_ld_preload(const std::string& library, const std::string& asan_runtime,
                            const char* existing) {
  std::string list;
  if (!asan_runtime.empty()) list = asan_runtime + ":";
  list += library;
  if (existing != nullptr && *existing != '\0') list += std::string(":") + existing;
  return list;
}

}  // namespace contend::launch
