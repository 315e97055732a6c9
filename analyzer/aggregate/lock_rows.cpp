#include "aggregate/lock_rows.h"

#include "aggregate/lock_name.h"
#include "aggregate/site_rows.h"

#include <contend/metrics.h>

#include <algorithm>

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
    row.wait_buckets.push_back(
        d.waits.count_at_most(static_cast<uint64_t>(static_cast<double>(ns) / clock.ns_per_tick())));
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

  row.waiter_sites = waiter_sites(d);
  if (id != nullptr) {
    row.caused_ns = clock.to_ns(id->caused_ticks);
    row.holder_sites = holder_sites(*id);
  }
  hold_stats(d, row);
  if (folded_ != FoldedWeight::kNone) row.folded = folded_stacks(trace_, d, row, folded_, symbolizer_);
  return row;
}

std::vector<SiteRow> LockRows::waiter_sites(const LockData& d) {
  SiteList list;
  d.waiter_stacks.for_each([&](uint64_t stack_id, const SiteAccum& acc) {
    list.add(sites_.of_stack(stack_id, acc.first_time), acc);
  });
  return list.ranked(trace_.clock);
}

// Holders by the call site that acquired the lock they held (the releasing
// stack when that is unknown: semaphores, futexes).
std::vector<SiteRow> LockRows::holder_sites(const IdentityData& id) {
  SiteList list;
  id.releases_by_site.for_each(
      [&](uint64_t pc, const SiteAccum& acc) { list.add(sites_.of_pc(pc, acc.first_time), acc); });
  id.releases_by_stack.for_each([&](uint64_t stack_id, const SiteAccum& acc) {
    list.add(sites_.of_stack(stack_id, acc.first_time), acc);
  });
  return list.ranked(trace_.clock);
}

void LockRows::hold_stats(const LockData& d, LockRow& row) {
  const ClockModel& clock = trace_.clock;
  HoldStats& h = row.hold;
  h.samples = d.hold_samples;
  h.estimated_holds = d.holds.count();
  h.sample_every = trace_.hold_sample_every;
  if (h.samples == 0) return;
  // Weighted by sampling interval: sums and percentiles estimate every hold.
  h.total_ns = clock.to_ns(d.holds.sum());
  h.avg_ns = clock.to_ns(d.holds.sum() / d.holds.count());
  h.p50_ns = clock.to_ns(d.holds.quantile(0.5));
  h.p99_ns = clock.to_ns(d.holds.quantile(0.99));
  h.max_ns = clock.to_ns(d.holds.max());
  HoldSiteList list;
  d.hold_sites.for_each([&](uint64_t pc, const LockData::HoldSite& hs) {
    list.add(sites_.of_pc(pc, hs.first_time), hs.holds);
  });
  row.hold_sites = list.ranked(clock, d.holds.sum());
}

const IdentityData* LockRows::identity(const LockKey& key) const {
  auto it = trace_.identities.find(LockIdentity{key.address, key.generation});
  return it == trace_.identities.end() ? nullptr : &it->second;
}

}  // namespace contend::analyze
