// What to tell a user whose report shows module+offset for a stripped
// module: where its names would come from.
#pragma once

#include <string>

namespace contend::analyze {

// The Debian package that installed `path`, from dpkg's file lists, or "".
std::string owning_package(const std::string& path, const std::string& dpkg_info = "/var/lib/dpkg/info");

// One line for a module without symbols or debug information: the
// package's -dbgsym (Debian's debug archive), the build-id file that
// elfutils would read, or DEBUGINFOD_URLS.
std::string debug_symbols_hint(const std::string& path, const std::string& build_id,
                               const std::string& package);

}  // namespace contend::analyze
