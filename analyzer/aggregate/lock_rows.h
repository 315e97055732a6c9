// A decoded lock into its report row: counters, wait and hold statistics in
// nanoseconds, its name, its call-site lists and (when asked) its stacks.
#pragma once

#include "aggregate/folded_stacks.h"
#include "model/decoded_trace.h"
#include "report/report.h"
#include "symbolize/call_site.h"
#include "symbolize/symbolizer.h"

namespace contend::analyze {

// The rows of one decoded trace's locks. Shares of the report's totals are
// left to the aggregator.
class LockRows {
 public:
  LockRows(const DecodedTrace& trace, Symbolizer& symbolizer, LockWrappers& wrappers, FoldedWeight folded)
      : trace_(trace), symbolizer_(symbolizer), sites_(trace, symbolizer, wrappers), folded_(folded) {}

  LockRow row(const LockKey& key, const LockData& lock);

 private:
  // Also the strongest wrapper role on the waiting stacks.
  std::vector<SiteRow> waiter_sites(const LockData& lock, FrameRole& role);
  std::vector<SiteRow> holder_sites(const LockKey& key, const IdentityData& identity);
  void hold_stats(const LockData& lock, LockRow& row);
  const IdentityData* identity(const LockKey& key) const;

  const DecodedTrace& trace_;
  Symbolizer& symbolizer_;
  CallSites sites_;
  FoldedWeight folded_;
};

}  // namespace contend::analyze
