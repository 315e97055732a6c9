#include "program_setup.h"

#include "preload_list.h"
#include "program_lookup.h"

#include <unistd.h>
#include <cstdlib>
#include <exception>

namespace contend::launch {

std::string self_path(const char* argv0) {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string(argv0);
}

std::variant<PreparedProgram, Refusal> prepare_program(const std::string& name,
                                                       const std::string& launcher_path) {
  Lookup found = find_program(name);
  if (found.path.empty()) return found.refusal;
  PreparedProgram p;
  p.path = found.path;
  try {
    p.info = inspect_program(found.path);
  } catch (const std::exception& e) {
    return Refusal{e.what(), kExitCannotRun};
  }
  if (std::optional<Refusal> why = check_runnable(p.info)) return *why;
  if (p.info.is_static)
    return Refusal{
        p.info.path + " is statically linked: LD_PRELOAD cannot reach it, nothing would be recorded",
        kExitLauncherFailed};
  if (p.info.is_setuid)
    return Refusal{
        p.info.path + " is setuid/setgid: the loader ignores LD_PRELOAD for it, nothing would be recorded",
        kExitLauncherFailed};
  p.library = find_library(launcher_path);
  if (p.library.empty())
    return Refusal{"cannot find libcontend.so next to this launcher (set CONTEND_LIBRARY)",
                   kExitLauncherFailed};
  return p;
}

void set_child_environment(const Options& o, const PreparedProgram& program) {
  const ProgramInfo& info = program.info;
  std::string asan = asan_runtime_for(info);
  setenv("LD_PRELOAD", make_ld_preload(program.library, asan, getenv("LD_PRELOAD")).c_str(), 1);
  if (asan.empty()) {
    for (const auto& n : info.needed) {
      if (n.rfind("libasan.so", 0) == 0) {
        // Runtime not found where expected: let ASan accept a preload ahead of it.
        std::string opts = getenv("ASAN_OPTIONS") != nullptr ? getenv("ASAN_OPTIONS") : "";
        setenv("ASAN_OPTIONS", (opts.empty() ? "" : opts + ":").append("verify_asan_link_order=0").c_str(),
               1);
      }
    }
  }
  if (!o.output.empty()) setenv("CONTEND_OUTPUT", o.output.c_str(), 1);
  if (o.stats) setenv("CONTEND_STATS", "1", 1);
  if (o.no_children) setenv("CONTEND_CHILDREN", "0", 1);
  if (o.all_futexes) setenv("CONTEND_FUTEX", "all", 1);
}

}  // namespace contend::launch
