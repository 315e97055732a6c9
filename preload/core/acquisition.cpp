#include "acquisition.h"

#include "session.h"

namespace contend::preload {

void make_room_in_lock_table(ThreadState& t) {
  // Growing maps memory: a rare event (log2(max / initial) times at most),
  // not the hot path.
  if (t.table.grow()) return;
  uint32_t epoch = t.table.epoch();
  t.table.for_each_used([&](uint64_t key, const LockSlot& s) {
    t.push(lock_counts_record(t.tid, epoch, key, s), static_cast<uint8_t>(LockTable::key_kind(key)));
  });
  t.table.reset(session::registry().next_table_epoch());
}

}  // namespace contend::preload
