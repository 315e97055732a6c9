#include "aggregate/site_rows.h"

#include "model/saturating.h"

#include <algorithm>
#include <tuple>

namespace contend::analyze {

namespace {

void name_row(SiteRow& s, const CallSite& site, std::string key) {
  s.key = std::move(key);
  s.function = site.function;
  s.file = site.file;
  s.line = site.line;
  s.label = site.label();
  s.via = site.via;
}

void rank(std::vector<SiteRow>& rows) {
  std::sort(rows.begin(), rows.end(), [](const SiteRow& a, const SiteRow& b) {
    return std::tie(b.ns, a.label) < std::tie(a.ns, b.label);
  });
}

double share(uint64_t part, uint64_t whole) {
  return whole == 0 ? 0 : static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

void SiteList::add(const CallSite& site, const SiteAccum& acc) {
  std::string key = site.key();
  SiteRow& s = merged_[key];
  if (s.count == 0 || acc.ticks > s.ns) name_row(s, site, std::move(key));
  s.count += acc.count;
  s.ns += acc.ticks;
  s.max_ns = std::max(s.max_ns, acc.max);
  total_ticks_ += acc.ticks;
}

std::vector<SiteRow> SiteList::ranked(const ClockModel& clock) {
  std::vector<SiteRow> rows;
  for (auto& [key, s] : merged_) {
    s.share = share(s.ns, total_ticks_);
    s.ns = clock.to_ns(s.ns);
    s.max_ns = clock.to_ns(s.max_ns);
    rows.push_back(std::move(s));
  }
  rank(rows);
  return rows;
}

void HoldSiteList::add(const CallSite& site, const Histogram& holds) {
  std::string key = site.key();
  auto& [s, all] = merged_[key];
  if (s.count == 0 || holds.sum() > all.sum()) name_row(s, site, std::move(key));
  all.merge(holds);
  s.count = all.count();  // estimated holds (samples x interval)
}

std::vector<SiteRow> HoldSiteList::ranked(const ClockModel& clock, uint64_t all_holds_ticks,
                                          double scale_time, double scale_count) {
  std::vector<SiteRow> rows;
  for (auto& [key, entry] : merged_) {
    auto& [s, all] = entry;
    // Scaled from a damaged trace's figures, the products can pass 2^64.
    s.ns = clock.to_ns(round_saturating(static_cast<double>(all.sum()) * scale_time));
    s.count = round_saturating(static_cast<double>(all.count()) * scale_count);
    s.max_ns = clock.to_ns(all.max());
    s.p50_ns = clock.to_ns(all.quantile(0.5));
    s.p99_ns = clock.to_ns(all.quantile(0.99));
    s.share = share(all.sum(), all_holds_ticks);
    rows.push_back(s);
  }
  rank(rows);
  return rows;
}

std::vector<SiteRow> group_by_site(const std::vector<LockRow>& locks, uint64_t total_wait_ns) {
  std::map<std::string, SiteRow> merged;
  std::map<std::string, uint64_t> best;  // the lock with most wait at each site
  for (const LockRow& l : locks) {
    for (const SiteRow& s : l.waiter_sites) {
      SiteRow& m = merged[s.key];
      if (m.count == 0) {
        m.key = s.key;
        m.function = s.function;
        m.file = s.file;
        m.line = s.line;
        m.label = s.label;
        m.via = s.via;
      }
      m.count += s.count;
      m.ns += s.ns;
      m.max_ns = std::max(m.max_ns, s.max_ns);
      if (s.ns >= best[s.key]) {  // ties: the later lock
        best[s.key] = s.ns;
        m.lock = l.name;
      }
    }
  }
  std::vector<SiteRow> rows;
  for (auto& [key, s] : merged) {
    s.share = share(s.ns, total_wait_ns);
    rows.push_back(std::move(s));
  }
  rank(rows);
  return rows;
}

}  // namespace contend::analyze
