#include "trace_files.h"

#include <glob.h>
#include <sys/stat.h>
#include <algorithm>

namespace contend::launch {

namespace {

void add_matches(const std::string& pattern, time_t since, std::vector<std::string>& out) {
  glob_t g;
  if (glob(pattern.c_str(), 0, nullptr, &g) == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) {
      std::string p = g.gl_pathv[i];
      struct stat st;
      if (p.size() >= 4 && p.compare(p.size() - 4, 4, ".old") == 0) continue;
      if (lstat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_mtime >= since) out.push_back(p);
    }
  }
  globfree(&g);
}

// Glob metacharacters in a user's path must match literally.
std::string escape_glob(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '*' || c == '?' || c == '[' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::vector<std::string> find_traces(const std::string& pattern, time_t since) {
  std::vector<std::string> found;
  size_t p = pattern.find("%p");
  if (p != std::string::npos) {
    add_matches(escape_glob(pattern.substr(0, p)) + "*" + escape_glob(pattern.substr(p + 2)), since, found);
  } else {
    add_matches(escape_glob(pattern), since, found);
    add_matches(escape_glob(pattern) + ".[0-9]*", since, found);
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

}  // namespace contend::launch
