#include "aggregator.h"

#include "clock_model.h"
#include "trace_error.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <tuple>
#include <unordered_map>

namespace contend::analyze {

namespace {

struct LockKey {
  uint64_t address;
  uint32_t generation;
  uint8_t kind;
  auto operator<=>(const LockKey&) const = default;
};

struct CountsKey {
  uint32_t tid;
  uint32_t epoch;
  LockKey lock;
  auto operator<=>(const CountsKey&) const = default;
};

struct LockAccum {
  uint64_t waits = 0;
  uint64_t completed_waits = 0;  // ended in an acquisition (not timed out or interrupted)
  uint64_t wait_ticks = 0;
  uint64_t wait_min = UINT64_MAX;
  uint64_t wait_max = 0;
};

struct ThreadAccum {
  ThreadRow row;
  uint64_t start_ticks = 0;
  uint64_t end_ticks = 0;
  uint64_t wait_ticks = 0;
};

// Everything one trace contributes, in ticks until finish().
struct ProcessAccum {
  ProcessSummary summary;
  ClockModel clock;
  uint64_t last_ticks = 0;
  uint64_t end_ticks = 0;
  std::map<LockKey, LockAccum> waits;
  std::map<CountsKey, format::LockCountsRecord> counts;  // last snapshot wins
  std::map<uint32_t, ThreadAccum> threads;
  uint64_t drops_from_records = 0;
};

bool valid_wait_kind(uint8_t k) {
  return k >= 1 && k < format::kWaitKindCount;
}

ThreadAccum& thread_of(ProcessAccum& p, uint32_t tid) {
  ThreadAccum& t = p.threads[tid];
  t.row.pid = p.summary.pid;
  t.row.tid = tid;
  return t;
}

void apply(ProcessAccum& p, const TraceReader& reader, const RecordView& v) {
  using format::RecordKind;
  switch (v.kind) {
    case RecordKind::kWait: {
      auto r = v.as<format::WaitRecord>();
      if (!valid_wait_kind(r.wait_kind))
        reader.fail_record(v, fmt::format("unknown wait kind {}", r.wait_kind));
      LockAccum& a = p.waits[LockKey{r.lock, r.lock_generation, r.wait_kind}];
      ++a.waits;
      if ((r.flags & (format::kWaitTimedOut | format::kWaitInterrupted)) == 0) ++a.completed_waits;
      a.wait_ticks += r.duration;
      a.wait_min = std::min(a.wait_min, r.duration);
      a.wait_max = std::max(a.wait_max, r.duration);
      if (static_cast<format::WaitKind>(r.wait_kind) != format::WaitKind::kCondition)
        thread_of(p, r.tid).wait_ticks += r.duration;
      p.last_ticks = std::max(p.last_ticks, r.start + r.duration);
      break;
    }
    case RecordKind::kLockCounts: {
      auto r = v.as<format::LockCountsRecord>();
      if (!valid_wait_kind(r.wait_kind))
        reader.fail_record(v, fmt::format("unknown wait kind {}", r.wait_kind));
      p.counts[CountsKey{r.tid, r.table_epoch, LockKey{r.lock, r.lock_generation, r.wait_kind}}] = r;
      break;
    }
    case RecordKind::kThreadStart: {
      auto r = v.as<format::ThreadStartRecord>();
      ThreadAccum& t = thread_of(p, r.tid);
      t.start_ticks = r.time;
      p.last_ticks = std::max(p.last_ticks, r.time);
      break;
    }
    case RecordKind::kThreadName: {
      auto r = v.as<format::ThreadNameRecord>();
      thread_of(p, r.tid).row.name.assign(r.name, strnlen(r.name, sizeof(r.name)));
      break;
    }
    case RecordKind::kThreadEnd: {
      auto r = v.as<format::ThreadEndRecord>();
      ThreadAccum& t = thread_of(p, r.tid);
      t.end_ticks = r.time;
      t.row.cpu_ns = r.cpu_ns;
      t.row.ended = true;
      t.row.running_at_exit = (r.flags & format::kThreadEndAtProcessExit) != 0;
      t.row.name.assign(r.name, strnlen(r.name, sizeof(r.name)));
      p.last_ticks = std::max(p.last_ticks, r.time);
      break;
    }
    case RecordKind::kClockSync: {
      auto r = v.as<format::ClockSyncRecord>();
      p.clock.add_sync(r.ticks, r.monotonic_ns);
      p.last_ticks = std::max(p.last_ticks, r.ticks);
      break;
    }
    case RecordKind::kDrops: {
      auto r = v.as<format::DropsRecord>();
      for (uint64_t d : r.dropped) p.drops_from_records += d;
      break;
    }
    case RecordKind::kFooter: {
      auto r = v.as<format::FooterRecord>();
      p.clock.add_sync(r.end_ticks, r.end_monotonic_ns);
      p.end_ticks = r.end_ticks;
      p.summary.dropped_events = r.dropped_events;
      p.summary.threads_unprofiled = r.threads_unprofiled;
      p.summary.end_reason = static_cast<format::FooterReason>(r.reason);
      uint64_t room = (v.bytes.size() - sizeof(r)) / sizeof(format::ThreadDrops);
      if (r.thread_drop_count > room)
        reader.fail_record(v, fmt::format("{} thread drop entries do not fit in {} bytes",
                                          r.thread_drop_count, v.bytes.size()));
      p.summary.thread_drops.clear();
      for (uint32_t i = 0; i < r.thread_drop_count; ++i) {
        format::ThreadDrops d;
        std::memcpy(&d, v.bytes.data() + sizeof(r) + i * sizeof(d), sizeof(d));
        p.summary.thread_drops.emplace_back(d.tid, d.dropped);
      }
      break;
    }
    case RecordKind::kPadding: break;
  }
}

std::string hex_address(uint64_t a) {
  return fmt::format("0x{:x}", a);
}

}  // namespace

struct Aggregator::Impl {
  std::vector<ProcessAccum> processes;
  std::vector<std::string> warnings;
};

Aggregator::Aggregator() : impl_(std::make_unique<Impl>()) {}
Aggregator::~Aggregator() = default;

void Aggregator::add_trace(const std::string& path) {
  TraceReader reader(path);
  const TraceHeader& h = reader.open();
  ProcessAccum p;
  p.summary.trace_path = path;
  p.summary.pid = h.raw.pid;
  p.summary.ppid = h.raw.ppid;
  p.summary.exe_path = h.exe_path;
  p.summary.argv = h.argv;
  p.summary.start_realtime_ns = h.raw.start_realtime_ns;
  p.clock.set_header(h.raw);
  p.last_ticks = h.raw.start_ticks;
  bool last_was_footer = false;
  ReadSummary rs = reader.read([&](const RecordView& v) {
    apply(p, reader, v);
    last_was_footer = v.kind == format::RecordKind::kFooter;
  });
  // A footer followed by more records was written before an exec that
  // failed: the process went on, and only a final footer completes it.
  p.summary.complete = last_was_footer;
  p.summary.records = rs.records - rs.padding_records;
  p.summary.unknown_records = rs.unknown_records;
  p.summary.truncated = rs.truncated;
  p.summary.truncated_at = rs.truncated_at;
  if (rs.truncated) {
    impl_->warnings.push_back(fmt::format(
        "{}: truncated at byte {} in record {}{}; reporting the {} complete records before it", path,
        rs.truncated_at, rs.truncated_record,
        rs.truncated_kind.empty() ? "" : fmt::format(" (kind {})", rs.truncated_kind), p.summary.records));
  } else if (!p.summary.complete) {
    impl_->warnings.push_back(
        fmt::format("{}: no footer: the process did not finish writing its trace (killed?); events of its "
                    "last flush period may be missing",
                    path));
  }
  if (!p.summary.complete) p.summary.dropped_events = p.drops_from_records;
  if (rs.unknown_records > 0)
    impl_->warnings.push_back(
        fmt::format("{}: skipped {} records of kinds this version does not know", path, rs.unknown_records));
  impl_->processes.push_back(std::move(p));
}

Report Aggregator::finish() {
  Report report;
  report.warnings = impl_->warnings;
  for (ProcessAccum& p : impl_->processes) {
    uint32_t pid = p.summary.pid;
    uint64_t end = p.end_ticks != 0 ? p.end_ticks : p.last_ticks;
    p.summary.wall_ns = p.clock.since_start_ns(end);
    // Acquisition counts: sum the last snapshot of every table incarnation.
    std::map<LockKey, LockRow> rows;
    for (const auto& [key, c] : p.counts) {
      LockRow& row = rows[key.lock];
      row.acquisitions += c.acquisitions;
      row.contended += c.contended;
      row.trylock_failures += c.trylock_failures;
      row.wakes += c.wakes;
      row.timeouts += c.timeouts;
    }
    for (const auto& [key, a] : p.waits) {
      LockRow& row = rows[key];
      row.waits = a.waits;
      row.wait_total_ns = p.clock.to_ns(a.wait_ticks);
      row.wait_min_ns = p.clock.to_ns(a.wait_min);
      row.wait_max_ns = p.clock.to_ns(a.wait_max);
      // A completed wait is a contended acquisition even when the counts
      // that would say so were lost (killed process, full ring).
      row.contended = std::max(row.contended, a.completed_waits);
      row.acquisitions = std::max(row.acquisitions, row.contended);
    }
    for (auto& [key, row] : rows) {
      row.pid = pid;
      row.address = key.address;
      row.generation = key.generation;
      row.kind = static_cast<format::WaitKind>(key.kind);
      row.name = hex_address(key.address);
      if (is_lock_contention(row.kind)) {
        report.summary.acquisitions += row.acquisitions;
        report.summary.contended += row.contended;
        report.summary.trylock_failures += row.trylock_failures;
        report.summary.wait_ns += row.wait_total_ns;
        report.locks.push_back(std::move(row));
      } else {
        report.cond_waits.push_back(std::move(row));
      }
    }
    for (auto& [tid, t] : p.threads) {
      t.row.start_ns = p.clock.since_start_ns(t.start_ticks);
      t.row.end_ns = p.clock.since_start_ns(t.end_ticks != 0 ? t.end_ticks : end);
      t.row.lock_wait_ns = p.clock.to_ns(t.wait_ticks);
      report.threads.push_back(t.row);
    }
    p.summary.threads = static_cast<uint32_t>(p.threads.size());
    report.summary.wall_ns = std::max(report.summary.wall_ns, p.summary.wall_ns);
    report.summary.threads += p.summary.threads;
    report.summary.dropped_events += p.summary.dropped_events;
    report.summary.threads_unprofiled += p.summary.threads_unprofiled;
    if (p.summary.truncated || !p.summary.complete) ++report.summary.incomplete_traces;
    if (p.summary.dropped_events > 0)
      report.warnings.push_back(
          fmt::format("{}: {} events were dropped because a ring was full; "
                      "counts of contention are lower bounds (raise CONTEND_RING_KB)",
                      p.summary.trace_path, p.summary.dropped_events));
    report.processes.push_back(p.summary);
  }
  auto by_wait = [](const LockRow& a, const LockRow& b) {
    return std::tie(b.wait_total_ns, b.contended, a.pid, a.address) <
           std::tie(a.wait_total_ns, a.contended, b.pid, b.address);
  };
  uint64_t total = report.summary.wait_ns;
  for (LockRow& row : report.locks)
    row.share_of_wait =
        total == 0 ? 0.0 : static_cast<double>(row.wait_total_ns) / static_cast<double>(total);
  std::sort(report.locks.begin(), report.locks.end(), by_wait);
  std::sort(report.cond_waits.begin(), report.cond_waits.end(), by_wait);
  std::sort(report.threads.begin(), report.threads.end(), [](const ThreadRow& a, const ThreadRow& b) {
    return std::tie(b.lock_wait_ns, a.pid, a.tid) < std::tie(a.lock_wait_ns, b.pid, b.tid);
  });
  return report;
}

}  // namespace contend::analyze
