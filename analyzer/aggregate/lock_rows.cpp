#include "aggregate/lock_rows.h"

#include "aggregate/event_waits.h"
#include "aggregate/hold_estimate.h"
#include "aggregate/lock_name.h"
#include "aggregate/rwlock_blame.h"
#include "aggregate/site_rows.h"

#include <contend/metrics.h>

#include <algorithm>
#include <optional>
#include <set>

namespace contend::analyze {

LockRow LockRows::row(const LockKey& key, const LockData& d) {
  const ClockModel& clock = trace_.clock;
  LockRow row;
  row.pid = trace_.process.pid;
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
  for (uint64_t ns : metrics::kWaitBucketsNs)
    row.wait_buckets.push_back(d.waits.count_at_most(clock.to_ticks(ns)));
  // A completed wait is a contended acquisition even when the counts that
  // would say so were lost (a full ring). Not in an unfinished trace: its
  // counts are the last snapshot, behind its waits, and raising them would
  // make every acquisition since a contended one (100%, falsely).
  if (trace_.process.complete) {
    row.counts.contended = std::max(row.counts.contended, d.completed_waits);
    row.counts.acquisitions = std::max(row.counts.acquisitions, row.counts.contended);
  }

  const IdentityData* id = identity(key);
  LockName name = name_lock(trace_, key.address, id, sites_, symbolizer_);
  row.name = name.name;
  row.name_source = name.source;
  row.birth = name.birth;

  FrameRole waiters_role = FrameRole::kUser;
  row.waiter_sites = waiter_sites(d, waiters_role);
  row.event = is_event_wait(row.kind, waiters_role, d, id);
  if (id != nullptr) {
    row.caused_ns = clock.to_ns(id->caused_ticks);
    row.holder_sites = holder_sites(key, *id);
  }
  hold_stats(d, row);
  if (folded_ != FoldedWeight::kNone) row.folded = folded_stacks(trace_, d, row, folded_, symbolizer_);
  return row;
}

std::vector<SiteRow> LockRows::waiter_sites(const LockData& d, FrameRole& role) {
  SiteList list;
  d.waiter_stacks.for_each([&](uint64_t stack_id, const SiteAccum& acc) {
    CallSite site = sites_.of_stack(stack_id, acc.first_time);
    role = stronger(role, site.role);
    list.add(site, acc);
  });
  return list.ranked(trace_.clock);
}

// Holders by the call site that acquired the lock they held (the releasing
// stack when that is unknown: semaphores, futexes). A side of a
// reader-writer lock lists the holders that made that side wait.
std::vector<SiteRow> LockRows::holder_sites(const LockKey& key, const IdentityData& id) {
  auto kind = static_cast<format::WaitKind>(key.kind);
  bool rwlock = kind == format::WaitKind::kRwlockRead || kind == format::WaitKind::kRwlockWrite;
  std::optional<RwlockBlame> blame;
  if (rwlock)
    blame.emplace(trace_, key.address, key.generation, id,
                  [&](uint64_t pc) { return symbolizer_.call_target(trace_.space.find(pc), pc); });
  auto part = [&](const SiteAccum& acc, uint64_t pc) {
    SiteAccum out = acc;
    if (blame) out.ticks = static_cast<uint64_t>(static_cast<double>(acc.ticks) * blame->share(kind, pc));
    return out;
  };
  SiteList list;
  id.releases_by_site.for_each([&](uint64_t pc, const SiteAccum& acc) {
    SiteAccum mine = part(acc, pc);
    if (mine.ticks != 0 || !rwlock) list.add(sites_.of_pc(pc, acc.first_time), mine);
  });
  id.releases_by_stack.for_each([&](uint64_t stack_id, const SiteAccum& acc) {
    SiteAccum mine = part(acc, 0);
    if (mine.ticks != 0 || !rwlock) list.add(sites_.of_stack(stack_id, acc.first_time), mine);
  });
  return list.ranked(trace_.clock);
}

void LockRows::hold_stats(const LockData& d, LockRow& row) {
  const ClockModel& clock = trace_.clock;
  HoldStats& h = row.hold;
  h.samples = d.hold_samples;
  h.sample_every = trace_.hold_sample_every;
  if (h.samples == 0) return;
  std::set<uint32_t> threads;  // that acquired this side
  d.counts.for_each([&](uint64_t key, const LockCounts& c) {
    if (c.acquisitions != 0) threads.insert(static_cast<uint32_t>(key >> 32));
  });
  uint64_t end = trace_.end_ticks != 0 ? trace_.end_ticks : trace_.last_ticks;
  uint64_t wall = end - std::min(end, clock.start_ticks());
  uint64_t one_ms = std::max<uint64_t>(1, clock.to_ticks(1000000));
  HoldEstimate e = estimate_holds(d, row.kind, wall, static_cast<uint32_t>(threads.size()), one_ms);
  h.total_ns = clock.to_ns(e.total_ticks);
  h.estimated_holds = e.holds;
  h.bounded = e.bounded;
  h.long_holds = e.long_holds;
  h.long_threshold_ns = clock.to_ns(e.long_threshold_ticks);
  h.avg_ns = e.holds == 0 ? 0 : h.total_ns / e.holds;
  h.p50_ns = clock.to_ns(d.holds.quantile(0.5));
  h.p99_ns = clock.to_ns(d.holds.quantile(0.99));
  h.max_ns = clock.to_ns(d.holds.max());
  HoldSiteList list;
  d.hold_sites.for_each([&](uint64_t pc, const LockData::HoldSite& hs) {
    list.add(sites_.of_pc(pc, hs.first_time), hs.holds);
  });
  double count_scale =
      d.holds.count() == 0 ? 0 : static_cast<double>(e.holds) / static_cast<double>(d.holds.count());
  row.hold_sites = list.ranked(clock, d.holds.sum(), e.scale, count_scale);
}

const IdentityData* LockRows::identity(const LockKey& key) const {
  auto it = trace_.identities.find(LockIdentity{key.address, key.generation});
  return it == trace_.identities.end() ? nullptr : &it->second;
}

}  // namespace contend::analyze
