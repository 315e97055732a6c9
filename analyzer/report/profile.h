// Stacks as a profile (pprof) lays them out: each code address once, with
// its module and source lines, and samples that refer to addresses by index.
// Filled only when asked for (AggregateOptions::profile).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace contend::analyze {

struct ProfileModule {
  std::string path;      // as recorded
  std::string build_id;  // hex, or ""
  uint64_t start = 0;    // runtime addresses it spans
  uint64_t limit = 0;
};

struct ProfileLine {
  std::string function;  // "" when unknown
  std::string file;
  int line = 0;
};

// One code address of one process.
struct ProfileLocation {
  uint64_t address = 0;            // runtime address: a return address
  int32_t module = -1;             // index in Profile::modules, or -1
  std::string fallback;            // when `lines` is empty: "libfoo.so+0x12", "[no stack]"
  std::vector<ProfileLine> lines;  // innermost (inlined) first, the function holding them last
};

// One stack of one lock, by one thread (waits) or by acquiring site (holds).
struct ProfileSample {
  std::vector<uint32_t> locations;  // indices in Profile::locations, innermost first
  uint32_t pid = 0;
  uint32_t tid = 0;    // 0: not by thread (hold samples)
  std::string thread;  // its name, when known
  uint64_t waits = 0;  // contentions
  uint64_t wait_ns = 0;
  uint64_t hold_ns = 0;  // sampled holds, weighted by their sampling interval
};

// The tables samples refer to, shared by every lock of the report.
struct Profile {
  std::vector<ProfileModule> modules;
  std::vector<ProfileLocation> locations;
};

}  // namespace contend::analyze
