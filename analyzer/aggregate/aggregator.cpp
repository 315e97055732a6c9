#include "aggregate/aggregator.h"

#include "aggregate/folded_stacks.h"
#include "aggregate/lock_naming.h"
#include "symbolize/call_site.h"
#include "symbolize/symbolizer.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <span>
#include <tuple>

namespace contend::analyze {

namespace {

// Builds the rows of one process.
class ProcessReport {
 public:
  ProcessReport(const DecodedTrace& p, Symbolizer& symbolizer, FoldedWeight folded)
      : p_(p), symbolizer_(symbolizer), sites_(p, symbolizer), folded_(folded) {}

  LockRow lock_row(const LockKey& key, const LockData& d) {
    const ClockModel& clock = p_.clock;
    LockRow row;
    row.pid = p_.process.pid;
    row.address = key.address;
    row.generation = key.generation;
    row.kind = static_cast<format::WaitKind>(key.kind);
    d.counts.for_each([&](uint64_t, const LockCounts& c) { row.counts += c; });
    row.waits = d.waits.count();
    row.wait_total_ns = clock.to_ns(d.waits.sum());
    row.wait_min_ns = clock.to_ns(d.waits.min());
    row.wait_max_ns = clock.to_ns(d.waits.max());
    row.wait_p50_ns = clock.to_ns(d.waits.quantile(0.5));
    row.wait_p99_ns = clock.to_ns(d.waits.quantile(0.99));
    // A completed wait is a contended acquisition even when the counts that
    // would say so were lost (killed process, full ring).
    row.counts.contended = std::max(row.counts.contended, d.completed_waits);
    row.counts.acquisitions = std::max(row.counts.acquisitions, row.counts.contended);

    const IdentityData* identity = find_identity(key);
    LockName name = name_lock(p_, key.address, identity, sites_, symbolizer_);
    row.name = name.name;
    row.name_source = name.source;
    row.birth = name.birth;

    row.waiter_sites = stack_sites(d.waiter_stacks);
    if (identity != nullptr) {
      row.caused_ns = clock.to_ns(identity->caused_ticks);
      row.holder_sites = holder_sites(*identity);
    }
    hold_stats(d, row);
    if (folded_ != FoldedWeight::kNone) row.folded = folded_stacks(p_, d, row, folded_, symbolizer_);
    return row;
  }

  std::vector<SiteRow> stack_sites(const FlatMap<SiteAccum>& by_stack) {
    std::map<std::string, SiteRow> merged;
    uint64_t total = 0;
    by_stack.for_each([&](uint64_t stack_id, const SiteAccum& acc) {
      add_site(merged, sites_.of_stack(stack_id, acc.first_time), acc, total);
    });
    return ranked(merged, total);
  }

  // Holders by the call site that acquired the lock they held (the
  // releasing stack when that is unknown: semaphores, futexes).
  std::vector<SiteRow> holder_sites(const IdentityData& id) {
    std::map<std::string, SiteRow> merged;
    uint64_t total = 0;
    id.releases_by_site.for_each([&](uint64_t pc, const SiteAccum& acc) {
      add_site(merged, sites_.of_pc(pc, acc.first_time), acc, total);
    });
    id.releases_by_stack.for_each([&](uint64_t stack_id, const SiteAccum& acc) {
      add_site(merged, sites_.of_stack(stack_id, acc.first_time), acc, total);
    });
    return ranked(merged, total);
  }

  static void add_site(std::map<std::string, SiteRow>& merged, const CallSite& site, const SiteAccum& acc,
                       uint64_t& total) {
    std::string key = site.key();
    SiteRow& s = merged[key];
    if (s.count == 0 || acc.ticks > s.ns) {  // the biggest contributor names it
      s.key = key;
      s.function = site.function;
      s.file = site.file;
      s.line = site.line;
      s.label = site.label();
    }
    s.count += acc.count;
    s.ns += acc.ticks;  // ticks until converted in ranked()
    s.max_ns = std::max(s.max_ns, acc.max);
    total += acc.ticks;
  }

  void hold_stats(const LockData& d, LockRow& row) {
    const ClockModel& clock = p_.clock;
    HoldStats& h = row.hold;
    h.samples = d.hold_samples;
    h.estimated_holds = d.holds.count();
    h.sample_every = p_.hold_sample_every;
    if (h.samples == 0) return;
    // Weighted by sampling interval: sums and percentiles estimate every hold.
    h.total_ns = clock.to_ns(d.holds.sum());
    h.avg_ns = clock.to_ns(d.holds.sum() / d.holds.count());
    h.p50_ns = clock.to_ns(d.holds.quantile(0.5));
    h.p99_ns = clock.to_ns(d.holds.quantile(0.99));
    h.max_ns = clock.to_ns(d.holds.max());
    std::map<std::string, std::pair<SiteRow, Histogram>> merged;
    d.hold_sites.for_each([&](uint64_t pc, const LockData::HoldSite& hs) {
      CallSite site = sites_.of_pc(pc, hs.first_time);
      std::string key = site.key();
      auto& [s, all] = merged[key];
      if (s.count == 0 || hs.holds.sum() > all.sum()) {
        s.key = key;
        s.function = site.function;
        s.file = site.file;
        s.line = site.line;
        s.label = site.label();
      }
      all.merge(hs.holds);
      s.count = all.count();  // estimated holds (samples x interval)
    });
    for (auto& [k, entry] : merged) {
      auto& [s, all] = entry;
      s.ns = clock.to_ns(all.sum());
      s.max_ns = clock.to_ns(all.max());
      s.p50_ns = clock.to_ns(all.quantile(0.5));
      s.p99_ns = clock.to_ns(all.quantile(0.99));
      s.share = d.holds.sum() == 0 ? 0 : static_cast<double>(all.sum()) / static_cast<double>(d.holds.sum());
      row.hold_sites.push_back(s);
    }
    std::sort(row.hold_sites.begin(), row.hold_sites.end(), [](const SiteRow& a, const SiteRow& b) {
      return std::tie(b.ns, a.label) < std::tie(a.ns, b.label);
    });
  }

 private:
  const IdentityData* find_identity(const LockKey& key) const {
    auto it = p_.identities.find(LockIdentity{key.address, key.generation});
    return it == p_.identities.end() ? nullptr : &it->second;
  }

  std::vector<SiteRow> ranked(std::map<std::string, SiteRow>& merged, uint64_t total_ticks) {
    std::vector<SiteRow> rows;
    for (auto& [k, s] : merged) {
      s.share = total_ticks == 0 ? 0 : static_cast<double>(s.ns) / static_cast<double>(total_ticks);
      s.ns = p_.clock.to_ns(s.ns);
      s.max_ns = p_.clock.to_ns(s.max_ns);
      rows.push_back(std::move(s));
    }
    std::sort(rows.begin(), rows.end(), [](const SiteRow& a, const SiteRow& b) {
      return std::tie(b.ns, a.label) < std::tie(a.ns, b.label);
    });
    return rows;
  }

  const DecodedTrace& p_;
  Symbolizer& symbolizer_;
  CallSites sites_;
  FoldedWeight folded_;
};

// `end`: ticks at which threads without an end record stopped.
ThreadRow thread_row(const DecodedTrace& p, const ThreadData& t, uint64_t end) {
  ThreadRow row;
  row.pid = p.process.pid;
  row.tid = t.tid;
  row.creator_tid = t.creator_tid;
  row.name = t.name;
  row.start_ns = p.clock.since_start_ns(t.start_ticks);
  row.end_ns = p.clock.since_start_ns(t.end_ticks != 0 ? t.end_ticks : end);
  row.cpu_ns = t.cpu_ns;
  row.lock_wait_ns = p.clock.to_ns(t.lock_wait_ticks);
  row.ended = t.ended;
  row.running_at_exit = t.running_at_exit;
  return row;
}

bool by_wait(const LockRow& a, const LockRow& b) {
  return std::tie(b.wait_total_ns, b.counts.contended, a.pid, a.address, a.kind) <
         std::tie(a.wait_total_ns, a.counts.contended, b.pid, b.address, b.kind);
}

}  // namespace

Aggregator::Aggregator(AggregateOptions options) : options_(options) {}
Aggregator::~Aggregator() = default;

void Aggregator::add_trace(const std::string& path) {
  DecodedTrace p = decode_trace(path, warnings_, options_.only_tid);
  if (options_.only_pid != 0 && p.process.pid != options_.only_pid) return;
  processes_.push_back(std::move(p));
}

Report Aggregator::finish() {
  Report report;
  report.warnings = warnings_;
  Symbolizer symbolizer(options_.symbolize);
  Summary& sum = report.summary;
  uint64_t cpu_total = 0;
  uint64_t capacity = 0;  // wall x threads, summed over processes
  for (const DecodedTrace& p : processes_) {
    ProcessReport builder(p, symbolizer, options_.folded);
    ProcessSummary proc{p.process};
    uint64_t end = p.end_ticks != 0 ? p.end_ticks : p.last_ticks;
    proc.wall_ns = p.clock.since_start_ns(end);
    for (const auto& [key, data] : p.locks) {
      LockRow row = builder.lock_row(key, data);
      if (is_lock_contention(row.kind)) {
        sum.counts += row.counts;
        proc.wait_ns += row.wait_total_ns;
        report.locks.push_back(std::move(row));
      } else {
        report.cond_waits.push_back(std::move(row));
      }
    }
    for (const auto& [tid, t] : p.threads) {
      ThreadRow row = thread_row(p, t, end);
      proc.thread_time_ns += row.end_ns - std::min(row.start_ns, row.end_ns);
      proc.cpu_ns += row.cpu_ns;
      report.threads.push_back(std::move(row));
    }
    proc.threads = static_cast<uint32_t>(p.threads.size());
    sum.wall_ns = std::max(sum.wall_ns, proc.wall_ns);
    sum.threads += proc.threads;
    sum.wait_ns += proc.wait_ns;
    sum.thread_time_ns += proc.thread_time_ns;
    sum.dropped_events += proc.dropped_events;
    sum.dropped_waits += proc.dropped_by_kind[static_cast<uint8_t>(format::RecordKind::kWait)];
    sum.threads_unprofiled += proc.threads_unprofiled;
    cpu_total += proc.cpu_ns;
    capacity += proc.wall_ns * proc.threads;
    if (proc.truncated || !proc.complete) ++sum.incomplete_traces;
    if (proc.dropped_events > 0)
      report.warnings.push_back(
          fmt::format("{}: {} events were dropped because a ring was full; counts of "
                      "contention are lower bounds (raise CONTEND_RING_KB)",
                      proc.trace_path, proc.dropped_events));
    report.processes.push_back(std::move(proc));
  }
  sum.processes = static_cast<uint32_t>(processes_.size());
  for (const ProcessSummary& p : report.processes) sum.pids.push_back(p.pid);
  if (!report.processes.empty()) {
    const ProcessSummary& first = report.processes.front();
    sum.program = first.argv.empty() ? first.exe_path : first.argv.front();
  }
  sum.contention_pct = sum.thread_time_ns == 0 ? 0
                                               : 100.0 * static_cast<double>(sum.wait_ns) /
                                                     static_cast<double>(sum.thread_time_ns);
  sum.parallel_efficiency =
      capacity == 0 ? 0 : static_cast<double>(cpu_total) / static_cast<double>(capacity);
  for (LockRow& row : report.locks) {
    row.share_of_wait =
        sum.wait_ns == 0 ? 0.0 : static_cast<double>(row.wait_total_ns) / static_cast<double>(sum.wait_ns);
    row.share_of_thread_time = sum.thread_time_ns == 0 ? 0.0
                                                       : static_cast<double>(row.wait_total_ns) /
                                                             static_cast<double>(sum.thread_time_ns);
  }
  std::sort(report.locks.begin(), report.locks.end(), by_wait);
  std::sort(report.cond_waits.begin(), report.cond_waits.end(), by_wait);
  std::sort(report.threads.begin(), report.threads.end(), [](const ThreadRow& a, const ThreadRow& b) {
    return std::tie(b.lock_wait_ns, a.pid, a.tid) < std::tie(a.lock_wait_ns, b.pid, b.tid);
  });
  for (const std::string& w : symbolizer.warnings()) report.warnings.push_back(w);
  return report;
}

}  // namespace contend::analyze
