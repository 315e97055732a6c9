// A lock as the decoded model keys it: address, generation and wait kind.
#pragma once

#include <cstdint>

namespace contend::analyze {

struct LockKey {
  uint64_t address;
  uint32_t generation;
  uint8_t kind;  // WaitKind: the read and write sides of an rwlock apart
  bool operator==(const LockKey&) const = default;
};

}  // namespace contend::analyze
