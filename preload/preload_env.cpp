#include "preload_env.h"

#include <dlfcn.h>
#include <cstdlib>
#include <cstring>
#include <string>

namespace contend::preload {

void remove_self_from_ld_preload() {
  const char* preload = getenv("LD_PRELOAD");
  if (preload == nullptr) return;
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&remove_self_from_ld_preload), &info) == 0 || info.dli_fname == nullptr)
    return;
  std::string self = info.dli_fname;
  std::string self_base = self.substr(self.rfind('/') + 1);
  // Entries are separated by spaces or colons (ld.so(8)).
  std::string kept;
  std::string list = preload;
  size_t pos = 0;
  while (pos <= list.size()) {
    size_t end = list.find_first_of(": ", pos);
    if (end == std::string::npos) end = list.size();
    std::string entry = list.substr(pos, end - pos);
    std::string base = entry.substr(entry.rfind('/') + 1);
    if (!entry.empty() && entry != self && base != self_base) kept += (kept.empty() ? "" : ":") + entry;
    pos = end + 1;
  }
  if (kept.empty()) {
    unsetenv("LD_PRELOAD");
  } else {
    setenv("LD_PRELOAD", kept.c_str(), 1);
  }
}

}  // namespace contend::preload
