// Single waits and sampled holds with their times, for formats that draw
// each one (the Chrome/Perfetto trace). Bounded: past `capacity` events the
// shortest are let go (a min-heap by duration), so a long trace keeps its
// longest waits and says how many it left out and below which duration.
#pragma once

#include <cstdint>
#include <vector>

namespace contend::analyze {

struct TimedEvent {
  enum Type : uint8_t { kWait, kHold };
  uint64_t start = 0;     // ticks
  uint64_t duration = 0;  // ticks
  uint64_t lock = 0;
  uint64_t where = 0;  // waits: stack id; holds: acquiring return address
  uint32_t tid = 0;
  uint32_t generation = 0;
  uint32_t owner_tid = 0;  // waits: the holder, when the primitive tells
  uint8_t kind = 0;        // WaitKind
  Type type = kWait;
  uint8_t flags = 0;  // waits: kWait* bits
};

class EventLog {
 public:
  void set_capacity(uint64_t capacity) { capacity_ = capacity; }
  bool enabled() const { return capacity_ != 0; }

  void add(const TimedEvent& e);

  // The events kept, by start time; call once, after the last add.
  std::vector<TimedEvent> take_sorted();

  uint64_t omitted() const { return omitted_; }
  // The longest event left out (ticks): every one kept is at least as long.
  uint64_t omitted_max() const { return omitted_max_; }

 private:
  uint64_t capacity_ = 0;
  bool heap_ = false;
  std::vector<TimedEvent> events_;
  uint64_t omitted_ = 0;
  uint64_t omitted_max_ = 0;
};

}  // namespace contend::analyze
