#include "trace_files.h"

#include "core/output/output_path.h"

#include <contend/trace_format.h>

#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cstring>
#include <tuple>

namespace contend::launch {

namespace {

// The header of a regular file that is a trace, or false.
bool read_header(const std::string& path, format::FileHeader& header) {
  int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
            read(fd, &header, sizeof(header)) == static_cast<ssize_t>(sizeof(header)) &&
            std::memcmp(header.magic, format::kMagic, sizeof(format::kMagic)) == 0;
  close(fd);
  return ok;
}

void add_matches(const std::string& pattern, uint64_t since_ns, std::vector<TraceFile>& out) {
  glob_t g;
  if (glob(pattern.c_str(), 0, nullptr, &g) == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) {
      format::FileHeader h;
      if (read_header(g.gl_pathv[i], h) && h.start_realtime_ns >= since_ns)
        out.push_back({g.gl_pathv[i], h.pid, h.ppid, h.start_realtime_ns});
    }
  }
  globfree(&g);
}

// The pattern as a glob: "%p" matches any pid, everything else literally.
std::string pattern_glob(const std::string& pattern) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '%' && i + 1 < pattern.size() && (pattern[i + 1] == 'p' || pattern[i + 1] == '%')) {
      out += pattern[++i] == 'p' ? "*" : "%";
      continue;
    }
    if (c == '*' || c == '?' || c == '[' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::vector<TraceFile> find_traces(const std::string& pattern, uint64_t since_ns) {
  std::vector<TraceFile> found;
  std::string base = pattern_glob(pattern);
  bool per_pid = pattern.find("%p") != std::string::npos;
  // As claim_output() decides, for a pattern without "%p".
  bool directory =
      !pattern.empty() && (pattern.back() == '/' || (!per_pid && preload::names_directory(pattern)));
  if (directory) {
    if (base.back() != '/') base += '/';
    add_matches(base + preload::kDirectoryTracePrefix + "*" + preload::kDirectoryTraceSuffix, since_ns,
                found);
  } else {
    for (const char* suffix : {"", ".[0-9]*", ".old"}) add_matches(base + suffix, since_ns, found);
  }
  std::sort(found.begin(), found.end(), [](const TraceFile& a, const TraceFile& b) {
    return std::tie(a.start_realtime_ns, a.path) < std::tie(b.start_realtime_ns, b.path);
  });
  found.erase(std::unique(found.begin(), found.end(),
                          [](const TraceFile& a, const TraceFile& b) { return a.path == b.path; }),
              found.end());
  return found;
}

}  // namespace contend::launch
