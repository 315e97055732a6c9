// Errors found in a trace, carried to main() and printed as one line:
//   contend-report: trace.bin: corrupt record at byte 81920 (record 5121, kind WAIT): ...
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace contend::analyze {

class TraceError : public std::runtime_error {
 public:
  TraceError(std::string path, std::string what) : std::runtime_error(path + ": " + what) {}
};

}  // namespace contend::analyze
