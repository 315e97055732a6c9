#include "model/event_log.h"

#include <algorithm>

namespace contend::analyze {

namespace {

// A min-heap on duration: the shortest kept event on top.
bool longer(const TimedEvent& a, const TimedEvent& b) {
  return a.duration > b.duration;
}

}  // namespace

void EventLog::add(const TimedEvent& e) {
  if (capacity_ == 0) return;
  if (events_.size() < capacity_) {
    events_.push_back(e);
    if (heap_) std::push_heap(events_.begin(), events_.end(), longer);
    return;
  }
  if (!heap_) {
    std::make_heap(events_.begin(), events_.end(), longer);
    heap_ = true;
  }
  ++omitted_;
  if (e.duration <= events_.front().duration) {
    omitted_max_ = std::max(omitted_max_, e.duration);
    return;
  }
  omitted_max_ = std::max(omitted_max_, events_.front().duration);
  std::pop_heap(events_.begin(), events_.end(), longer);
  events_.back() = e;
  std::push_heap(events_.begin(), events_.end(), longer);
}

std::vector<TimedEvent> EventLog::take_sorted() {
  std::vector<TimedEvent> out = std::move(events_);
  events_.clear();
  heap_ = false;
  std::sort(out.begin(), out.end(), [](const TimedEvent& a, const TimedEvent& b) {
    return a.start != b.start ? a.start < b.start : a.tid < b.tid;
  });
  return out;
}

}  // namespace contend::analyze
