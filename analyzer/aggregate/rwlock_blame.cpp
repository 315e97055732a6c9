#include "aggregate/rwlock_blame.h"

#include <algorithm>

namespace contend::analyze {

RwlockBlame::RwlockBlame(const DecodedTrace& trace, uint64_t address, uint32_t generation,
                         const IdentityData& identity, std::function<std::string(uint64_t)> callee)
    : callee_(std::move(callee)) {
  uint64_t readers_waited = 0;
  for (auto kind : {format::WaitKind::kRwlockRead, format::WaitKind::kRwlockWrite}) {
    auto it = trace.locks.find(LockKey{address, generation, static_cast<uint8_t>(kind)});
    if (it == trace.locks.end()) continue;
    std::set<uint64_t>& pcs = kind == format::WaitKind::kRwlockRead ? read_pcs_ : write_pcs_;
    const LockData& side = it->second;
    side.hold_sites.for_each([&](uint64_t pc, const LockData::HoldSite&) { pcs.insert(pc); });
    side.waiter_stacks.for_each([&](uint64_t stack_id, const SiteAccum&) {
      // A waiting stack's first frame is the acquiring call's return address.
      const std::vector<uint64_t>* frames = trace.stack(stack_id);
      if (frames != nullptr && !frames->empty()) pcs.insert(frames->front());
    });
    if (kind == format::WaitKind::kRwlockRead) readers_waited = side.waits.sum();
  }
  uint64_t by_writers = 0;
  identity.releases_by_site.for_each([&](uint64_t pc, const SiteAccum& acc) {
    if (side_of(pc) != Side::kRead) by_writers += acc.ticks;
  });
  identity.releases_by_stack.for_each([&](uint64_t, const SiteAccum& acc) { by_writers += acc.ticks; });
  writers_to_readers_ =
      by_writers == 0 ? 0
                      : std::min(1.0, static_cast<double>(readers_waited) / static_cast<double>(by_writers));
}

RwlockBlame::Side RwlockBlame::side_of(uint64_t pc) const {
  bool read = pc != 0 && read_pcs_.count(pc) != 0;
  bool write = pc != 0 && write_pcs_.count(pc) != 0;
  if (read && !write) return Side::kRead;
  if (write && !read) return Side::kWrite;
  std::string called = pc != 0 && callee_ ? callee_(pc) : "";
  if (called.find("rdlock") != std::string::npos) return Side::kRead;
  if (called.find("wrlock") != std::string::npos) return Side::kWrite;
  return Side::kUnknown;
}

double RwlockBlame::share(format::WaitKind side, uint64_t acquire_pc) const {
  bool reader_released = side_of(acquire_pc) == Side::kRead;
  if (side == format::WaitKind::kRwlockRead) return reader_released ? 0.0 : writers_to_readers_;
  return reader_released ? 1.0 : 1.0 - writers_to_readers_;
}

}  // namespace contend::analyze
