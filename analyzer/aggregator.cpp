#include "aggregator.h"

#include "call_site.h"
#include "lock_naming.h"
#include "symbolizer.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <span>
#include <tuple>

namespace contend::analyze {

namespace {

// A folded-stack frame: flamegraph.pl splits frames on ';'.
std::string frame_text(const Symbolized& s, const SourceFrame* f) {
  std::string text = f != nullptr && !f->function.empty()
                         ? f->function
                         : fmt::format("{}+0x{:x}", s.module.empty() ? "?" : s.module, s.offset);
  std::replace(text.begin(), text.end(), ';', ':');
  return text;
}

// Builds the rows of one process.
class ProcessReport {
 public:
  ProcessReport(const ProcessData& p, Symbolizer& symbolizer, FoldedWeight folded)
      : p_(p), symbolizer_(symbolizer), folded_(folded) {}

  LockRow lock_row(const LockKey& key, const LockData& d) {
    const ClockModel& clock = p_.clock;
    LockRow row;
    row.pid = p_.summary.pid;
    row.address = key.address;
    row.generation = key.generation;
    row.kind = static_cast<format::WaitKind>(key.kind);
    d.counts.for_each([&](uint64_t, const format::LockCountsRecord& c) {
      row.acquisitions += c.acquisitions;
      row.contended += c.contended;
      row.trylock_failures += c.trylock_failures;
      row.wakes += c.wakes;
      row.timeouts += c.timeouts;
    });
    row.waits = d.waits.count();
    row.wait_total_ns = clock.to_ns(d.waits.sum());
    row.wait_min_ns = clock.to_ns(d.waits.min());
    row.wait_max_ns = clock.to_ns(d.waits.max());
    row.wait_p50_ns = clock.to_ns(d.waits.quantile(0.5));
    row.wait_p99_ns = clock.to_ns(d.waits.quantile(0.99));
    // A completed wait is a contended acquisition even when the counts that
    // would say so were lost (a full ring). Not in an unfinished trace: its
    // counts are the last snapshot, behind its waits, and raising them would
    // make every acquisition since a contended one (100%, falsely).
    if (p_.summary.complete) {
      row.contended = std::max(row.contended, d.completed_waits);
      row.acquisitions = std::max(row.acquisitions, row.contended);
    }

    const IdentityData* identity = find_identity(key);
    LockName name = name_lock(p_, key.address, identity, symbolizer_);
    row.name = name.name;
    row.name_source = name.source;
    row.birth = name.birth;

    row.waiter_sites = stack_sites(d.waiter_stacks);
    if (identity != nullptr) {
      row.caused_ns = clock.to_ns(identity->caused_ticks);
      row.holder_sites = holder_sites(*identity);
    }
    hold_stats(d, row);
    if (folded_ != FoldedWeight::kNone) folded_stacks(d, row);
    return row;
  }

  // Root-first frames of a stack (inlined calls as frames of their own),
  // ending in the lock.
  std::string folded_frames(std::span<const uint64_t> pcs, uint64_t when, const LockRow& row) {
    std::vector<std::string> frames;  // innermost first
    for (uint64_t pc : pcs) {
      const Symbolized& s = symbolizer_.code(p_.space.find(pc, when), pc, true);
      if (s.frames.empty()) frames.push_back(frame_text(s, nullptr));
      for (const SourceFrame& f : s.frames) frames.push_back(frame_text(s, &f));
    }
    std::string out;
    for (auto it = frames.rbegin(); it != frames.rend(); ++it) out += *it + ";";
    std::string lock = row.name;
    std::replace(lock.begin(), lock.end(), ';', ':');
    return out + fmt::format("[{} {}]", format::wait_kind_name(row.kind), lock);
  }

  void folded_stacks(const LockData& d, LockRow& row) {
    std::map<std::string, uint64_t> merged;
    if (folded_ == FoldedWeight::kHold) {
      d.hold_sites.for_each([&](uint64_t pc, const LockData::HoldSite& site) {
        uint64_t one[1] = {pc};
        merged[folded_frames(one, site.first_time, row)] += p_.clock.to_ns(site.holds.sum());
      });
    } else {
      d.waiter_stacks.for_each([&](uint64_t stack_id, const SiteAccum& acc) {
        auto it = p_.stacks.find(stack_id);
        std::span<const uint64_t> pcs;
        if (it != p_.stacks.end()) pcs = it->second;
        merged[folded_frames(pcs, acc.first_time, row)] +=
            folded_ == FoldedWeight::kWait ? p_.clock.to_ns(acc.ticks) : acc.count;
      });
    }
    for (auto& [stack, weight] : merged)
      if (weight > 0) row.folded.emplace_back(stack, weight);
  }

  std::vector<SiteRow> stack_sites(const FlatMap<SiteAccum>& by_stack) {
    std::map<std::string, SiteRow> merged;
    uint64_t total = 0;
    by_stack.for_each([&](uint64_t stack_id, const SiteAccum& acc) {
      add_site(merged, site_of_stack(stack_id, acc.first_time), acc, total);
    });
    return ranked(merged, total);
  }

  // Holders by the call site that acquired the lock they held (the
  // releasing stack when that is unknown: semaphores, futexes).
  std::vector<SiteRow> holder_sites(const IdentityData& id) {
    std::map<std::string, SiteRow> merged;
    uint64_t total = 0;
    id.releases_by_site.for_each([&](uint64_t pc, const SiteAccum& acc) {
      add_site(merged, call_site_of_pc(pc, p_.space, symbolizer_, acc.first_time), acc, total);
    });
    id.releases_by_stack.for_each([&](uint64_t stack_id, const SiteAccum& acc) {
      add_site(merged, site_of_stack(stack_id, acc.first_time), acc, total);
    });
    return ranked(merged, total);
  }

  static void add_site(std::map<std::string, SiteRow>& merged, const CallSite& site, const SiteAccum& acc,
                       uint64_t& total) {
    SiteRow& s = merged[site.key()];
    if (s.count == 0 || acc.ticks > s.ns) {  // the biggest contributor names it
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
      CallSite site = call_site_of_pc(pc, p_.space, symbolizer_, hs.first_time);
      auto& [s, all] = merged[site.key()];
      if (s.count == 0 || hs.holds.sum() > all.sum()) {
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

  CallSite site_of_stack(uint64_t stack_id, uint64_t when) {
    CallSite site;
    if (stack_id == 0) {
      site.module = "[no stack]";
      return site;
    }
    auto it = p_.stacks.find(stack_id);
    if (it == p_.stacks.end()) {
      site.module = "[stack lost]";  // its STACK record was dropped
      return site;
    }
    return call_site(it->second, p_.space, symbolizer_, when);
  }

  std::vector<SiteRow> ranked(std::map<std::string, SiteRow>& merged, uint64_t total_ticks) {
    std::vector<SiteRow> rows;
    for (auto& [k, s] : merged) {
      s.share = total_ticks == 0 ? 0 : static_cast<double>(s.ns) / static_cast<double>(total_ticks);
      s.ns = p_.clock.to_ns(s.ns);
      s.max_ns = p_.clock.to_ns(s.max_ns);
      if (s.label.empty()) s.label = k;
      rows.push_back(std::move(s));
    }
    std::sort(rows.begin(), rows.end(), [](const SiteRow& a, const SiteRow& b) {
      return std::tie(b.ns, a.label) < std::tie(a.ns, b.label);
    });
    return rows;
  }

  const ProcessData& p_;
  Symbolizer& symbolizer_;
  FoldedWeight folded_;
};

bool by_wait(const LockRow& a, const LockRow& b) {
  return std::tie(b.wait_total_ns, b.contended, a.pid, a.address, a.kind) <
         std::tie(a.wait_total_ns, a.contended, b.pid, b.address, b.kind);
}

}  // namespace

Aggregator::Aggregator(AggregateOptions options) : options_(options) {}
Aggregator::~Aggregator() = default;

void Aggregator::add_trace(const std::string& path) {
  ProcessData p = read_process(path, warnings_, options_.only_tid);
  if (options_.only_pid != 0 && p.summary.pid != options_.only_pid) return;
  processes_.push_back(std::move(p));
}

Report Aggregator::finish() {
  Report report;
  report.warnings = warnings_;
  Symbolizer symbolizer(options_.symbolize);
  Summary& sum = report.summary;
  uint64_t cpu_total = 0;
  uint64_t capacity = 0;  // wall x threads, summed over processes
  for (ProcessData& p : processes_) {
    ProcessReport builder(p, symbolizer, options_.folded);
    uint64_t end = p.end_ticks != 0 ? p.end_ticks : p.last_ticks;
    p.summary.wall_ns = p.clock.since_start_ns(end);
    for (const auto& [key, data] : p.locks) {
      LockRow row = builder.lock_row(key, data);
      if (is_lock_contention(row.kind)) {
        sum.acquisitions += row.acquisitions;
        sum.contended += row.contended;
        sum.trylock_failures += row.trylock_failures;
        p.summary.wait_ns += row.wait_total_ns;
        report.locks.push_back(std::move(row));
      } else {
        report.cond_waits.push_back(std::move(row));
      }
    }
    for (auto& [tid, t] : p.threads) {
      t.row.start_ns = p.clock.since_start_ns(t.start_ticks);
      t.row.end_ns = p.clock.since_start_ns(t.end_ticks != 0 ? t.end_ticks : end);
      t.row.lock_wait_ns = p.clock.to_ns(t.lock_wait_ticks);
      p.summary.thread_time_ns += t.row.end_ns - std::min(t.row.start_ns, t.row.end_ns);
      p.summary.cpu_ns += t.row.cpu_ns;
      report.threads.push_back(t.row);
    }
    p.summary.threads = static_cast<uint32_t>(p.threads.size());
    sum.wall_ns = std::max(sum.wall_ns, p.summary.wall_ns);
    sum.threads += p.summary.threads;
    sum.wait_ns += p.summary.wait_ns;
    sum.thread_time_ns += p.summary.thread_time_ns;
    sum.dropped_events += p.summary.dropped_events;
    sum.dropped_waits += p.summary.dropped_by_kind[static_cast<uint8_t>(format::RecordKind::kWait)];
    sum.threads_unprofiled += p.summary.threads_unprofiled;
    cpu_total += p.summary.cpu_ns;
    capacity += p.summary.wall_ns * p.summary.threads;
    if (p.summary.truncated || !p.summary.complete) ++sum.incomplete_traces;
    if (p.summary.dropped_events > 0)
      report.warnings.push_back(
          fmt::format("{}: {} events were dropped because a ring was full; counts of "
                      "contention are lower bounds (raise CONTEND_RING_KB)",
                      p.summary.trace_path, p.summary.dropped_events));
    report.processes.push_back(p.summary);
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
