#include "program_lookup.h"

#include <fmt/format.h>

#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace contend::launch {

namespace {

Refusal missing(const std::string& what) {
  return {what, kExitNotFound};
}

Refusal cannot_run(const std::string& what) {
  return {what, kExitCannotRun};
}

bool executable_file(const struct stat& st, const std::string& path) {
  return S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

// Why the file at `path` cannot be executed, or nullopt when it can.
std::optional<Refusal> why_not_executable(const std::string& path, const std::string& label) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    std::string why = fmt::format("{}: {}", label, errno == ENOENT ? "no such file" : std::strerror(errno));
    return errno == ENOENT ? missing(why) : cannot_run(why);
  }
  if (S_ISDIR(st.st_mode)) return cannot_run(label + ": is a directory");
  if (!S_ISREG(st.st_mode)) return cannot_run(label + ": not a regular file");
  if (access(path.c_str(), X_OK) != 0)
    return cannot_run(fmt::format("{}: not executable (mode {:04o})", label, st.st_mode & 07777));
  return std::nullopt;
}

// A "\r" in the interpreter's name: printed visibly.
std::string visible(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '\r' ? std::string("^M") : std::string(1, c);
  return out;
}

}  // namespace

Lookup find_program(const std::string& name) {
  Lookup found;
  if (name.find('/') != std::string::npos) {
    if (std::optional<Refusal> why = why_not_executable(name, name)) {
      found.refusal = *why;
    } else {
      found.path = name;
    }
    return found;
  }
  const char* env = getenv("PATH");
  std::string path = env != nullptr ? env : "/usr/local/bin:/usr/bin:/bin";
  std::string not_executable;  // a file of that name that cannot be run, as execvp reports EACCES
  for (size_t pos = 0; !name.empty() && pos <= path.size();) {
    size_t end = path.find(':', pos);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(pos, end - pos);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    pos = end + 1;
    struct stat st;
    if (stat(candidate.c_str(), &st) != 0 || S_ISDIR(st.st_mode)) continue;
    if (executable_file(st, candidate)) {
      found.path = candidate;
      return found;
    }
    if (not_executable.empty()) not_executable = candidate;
  }
  if (!not_executable.empty()) {
    found.refusal = cannot_run(fmt::format("{}: {} is not executable", name, not_executable));
  } else {
    found.refusal = missing(name + ": command not found in PATH");
  }
  return found;
}

std::optional<Refusal> check_runnable(const ProgramInfo& info) {
  switch (info.kind) {
    case ProgramKind::kElf:
      if (!info.interpreter.empty() && access(info.interpreter.c_str(), F_OK) != 0 && errno == ENOENT)
        return missing(fmt::format("{}: its loader {} is missing (built for another system?)", info.path,
                                   info.interpreter));
      return std::nullopt;
    case ProgramKind::kScript: {
      if (info.interpreter.empty()) return cannot_run(info.path + ": its #! line names no interpreter");
      std::string label = fmt::format("{}: bad interpreter {}", info.path, visible(info.interpreter));
      if (info.interpreter.find('\r') != std::string::npos)
        return missing(label + ": the script has DOS line endings (CRLF)");
      return why_not_executable(info.interpreter, label);
    }
    case ProgramKind::kShellText: return std::nullopt;
    case ProgramKind::kUnknownBinary:
      return cannot_run(info.path + ": cannot execute binary file (neither a program nor a script)");
  }
  return std::nullopt;
}

}  // namespace contend::launch
