// Blame by waiting side for a reader-writer lock. The recorder charges each
// release with the waiting that accrued during the hold it ends, both sides
// together, and does not say which side the releaser held. The side is told
// by the acquiring call: one that took the read side in a sampled hold or
// a wait is a reader's, else the function it calls (pthread_rwlock_rdlock
// or wrlock) tells. The caused wait is then split:
//
//   - readers wait for writers: writers' releases (and releases of unknown
//     side) go to the read row, up to the readers' total wait;
//   - writers wait for both: readers' releases, and the rest of the
//     writers', go to the write row.
//
// So the read row's "held by" lists writers, not the readers themselves.
#pragma once

#include "model/decoded_trace.h"

#include <contend/trace_format.h>

#include <cstdint>
#include <functional>
#include <set>
#include <string>

namespace contend::analyze {

class RwlockBlame {
 public:
  // `callee`: the function the call before a return address calls, or "".
  RwlockBlame(const DecodedTrace& trace, uint64_t address, uint32_t generation, const IdentityData& identity,
              std::function<std::string(uint64_t)> callee);

  // The part (0..1) of the wait caused by a release that belongs to
  // `side`'s row; `acquire_pc` 0 when the release has no acquiring call.
  double share(format::WaitKind side, uint64_t acquire_pc) const;

 private:
  enum class Side { kRead, kWrite, kUnknown };
  Side side_of(uint64_t acquire_pc) const;

  std::function<std::string(uint64_t)> callee_;
  std::set<uint64_t> read_pcs_;
  std::set<uint64_t> write_pcs_;
  double writers_to_readers_ = 0;  // the part of writers' (and unknown) caused wait readers waited
};

}  // namespace contend::analyze
