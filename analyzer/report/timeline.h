// Rows over time: the time line's intervals and phases, and single events
// with their times (for formats that draw each one). Times are nanoseconds
// since the report's origin: the start of the first trace's process.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace contend::analyze {

// One interval of the time line.
struct IntervalRow {
  uint64_t start_ns = 0;
  uint64_t end_ns = 0;
  uint64_t wait_ns = 0;       // lock wait that overlapped it (condition waits excluded)
  uint64_t waits = 0;         // waits that ended in it
  uint64_t acquisitions = 0;  // counted by the snapshots taken in it
  uint64_t contended = 0;
  double threads = 0;    // profiled threads alive, on average
  std::string top_lock;  // the lock most waited for in it, "" when none
  uint64_t top_lock_wait_ns = 0;
  std::string phase;  // the name of the phase it belongs to

  uint64_t length_ns() const { return end_ns - start_ns; }
  // Threads waiting, on average: wait / length.
  double waiting() const {
    return length_ns() == 0 ? 0.0 : static_cast<double>(wait_ns) / static_cast<double>(length_ns());
  }
  // Lock wait / thread time alive in it, 0..1.
  double waiting_share() const {
    double capacity = threads * static_cast<double>(length_ns());
    return capacity <= 0 ? 0.0 : static_cast<double>(wait_ns) / capacity;
  }
};

// A stretch of time where the program behaved alike: "start-up", "steady
// state" (with its thread count when there are several), "burst",
// "wind-down".
struct PhaseRow {
  std::string name;
  uint64_t start_ns = 0;
  uint64_t end_ns = 0;
  uint64_t wait_ns = 0;
  uint64_t acquisitions = 0;
  uint64_t contended = 0;
  double threads = 0;  // alive, on average
  std::string top_lock;
  uint64_t top_lock_wait_ns = 0;

  uint64_t length_ns() const { return end_ns - start_ns; }
  double waiting_share() const {
    double capacity = threads * static_cast<double>(length_ns());
    return capacity <= 0 ? 0.0 : static_cast<double>(wait_ns) / capacity;
  }
};

struct Timeline {
  uint64_t interval_ns = 0;  // 0: no time line was aggregated
  uint64_t from_ns = 0;      // the window reported (--from/--to, else the whole run)
  uint64_t to_ns = 0;
  std::vector<IntervalRow> intervals;
  std::vector<PhaseRow> phases;
};

// A process and a thread on the common clock: the tracks of a trace viewer.
struct ProcessSpan {
  uint32_t pid = 0;
  uint32_t ppid = 0;
  std::string command;
  uint64_t start_ns = 0;
  uint64_t end_ns = 0;
  bool complete = true;  // its trace has a footer
};

struct ThreadSpan {
  uint32_t pid = 0;
  uint32_t tid = 0;
  std::string name;
  uint64_t start_ns = 0;
  uint64_t end_ns = 0;
};

// One wait or sampled hold. Names are indices into EventRows::names.
struct EventRow {
  uint32_t pid = 0;
  uint32_t tid = 0;
  uint64_t start_ns = 0;
  uint64_t duration_ns = 0;
  uint32_t lock = 0;  // the lock's name
  uint32_t kind = 0;  // "mutex", "rwlock-write"...
  uint32_t site = 0;  // waits: where it waited; holds: where it acquired the lock
  uint32_t owner_tid = 0;
  bool hold = false;       // a sampled hold (its time is an estimate: model/timed_decoding.h)
  bool timed_out = false;  // a wait that gave up or was interrupted
};

struct EventRows {
  std::vector<ProcessSpan> processes;
  std::vector<ThreadSpan> threads;
  std::vector<EventRow> events;  // by start time
  std::vector<std::string> names;
  uint64_t omitted = 0;         // events left out past the limit (the shortest)
  uint64_t omitted_max_ns = 0;  // none kept is shorter than this
};

}  // namespace contend::analyze
