#include "debug_symbols_hint.h"

#include <dirent.h>
#include <fmt/format.h>

#include <fstream>
#include <vector>

namespace contend::analyze {

std::string owning_package(const std::string& path, const std::string& dpkg_info) {
  DIR* dir = opendir(dpkg_info.c_str());
  if (dir == nullptr) return "";
  std::string found;
  while (dirent* e = readdir(dir)) {
    std::string name = e->d_name;
    if (name.size() < 6 || name.compare(name.size() - 5, 5, ".list") != 0) continue;
    std::ifstream list(dpkg_info + "/" + name);
    for (std::string line; std::getline(list, line);) {
      if (line != path) continue;
      found = name.substr(0, name.size() - 5);
      found = found.substr(0, found.find(':'));  // "pigz" from "pigz:amd64"
      break;
    }
    if (!found.empty()) break;
  }
  closedir(dir);
  return found;
}

std::string debug_symbols_hint(const std::string& path, const std::string& build_id,
                               const std::string& package) {
  std::string name = path.substr(path.rfind('/') + 1);
  std::vector<std::string> ways;
  if (!package.empty()) ways.push_back(fmt::format("install {}-dbgsym (Debian's debug archive)", package));
  if (build_id.size() > 2)
    ways.push_back(fmt::format("put its debug file at /usr/lib/debug/.build-id/{}/{}.debug",
                               build_id.substr(0, 2), build_id.substr(2)));
  ways.push_back("set DEBUGINFOD_URLS");
  std::string how = ways.front();
  for (size_t i = 1; i < ways.size(); ++i) how += (i + 1 == ways.size() ? ", or " : ", ") + ways[i];
  return fmt::format(
      "{}: stripped, no symbols or debug information found, so its frames show as {}+0x...; "
      "to name them, {}",
      name, name, how);
}

}  // namespace contend::analyze
