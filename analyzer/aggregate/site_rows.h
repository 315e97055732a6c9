// Call-site rows: the lists of one lock (where threads waited, where the
// holders were, where it was held) and the site grouping across locks.
// Sites merge by CallSite::key; the biggest contributor names a merged row.
#pragma once

#include "model/clock_model.h"
#include "model/decoded_trace.h"
#include "model/histogram.h"
#include "report/report.h"
#include "symbolize/call_site.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace contend::analyze {

// Waits (or wait caused) by call site, in ticks, into rows whose share is of
// this list's total.
class SiteList {
 public:
  void add(const CallSite& site, const SiteAccum& acc);
  std::vector<SiteRow> ranked(const ClockModel& clock);

 private:
  std::map<std::string, SiteRow> merged_;  // ns, max_ns in ticks until ranked()
  uint64_t total_ticks_ = 0;
};

// Sampled holds by call site into rows with percentiles; share is of
// `all_holds_ticks`. Hold time and counts are the samples' weighted sums
// times `scale_time` and `scale_count` (the lock's estimate over them).
class HoldSiteList {
 public:
  void add(const CallSite& site, const Histogram& holds);
  std::vector<SiteRow> ranked(const ClockModel& clock, uint64_t all_holds_ticks, double scale_time = 1.0,
                              double scale_count = 1.0);

 private:
  std::map<std::string, std::pair<SiteRow, Histogram>> merged_;
};

// The site grouping: every waiting call site of `locks` (taken in their
// order), ranked by the wait there, with the lock waited for most there;
// share is of `total_wait_ns`.
std::vector<SiteRow> group_by_site(const std::vector<LockRow>& locks, uint64_t total_wait_ns);

}  // namespace contend::analyze
