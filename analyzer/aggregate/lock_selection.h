// Which locks a report keeps and how it ranks them (--lock, --min-wait,
// --sort). Applied after the shares are computed: they stay relative to all
// lock wait, selected or not.
#pragma once

#include "report/report.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace contend::analyze {

struct LockSelection {
  std::string name_pattern;  // glob ("*pool*") or plain substring of the name; "" = all
  uint64_t min_wait_ns = 0;  // locks that waited less are left out
  // Larger ranks first (a lock column's sort value); null: by wait, then
  // contended acquisitions.
  std::function<double(const LockRow&)> rank_by;
};

// The default order: wait, then contended acquisitions, then pid, address, kind.
bool by_wait(const LockRow& a, const LockRow& b);

// Filters `rows` (ordered by_wait) and re-ranks them by selection.rank_by.
void select_locks(std::vector<LockRow>& rows, const LockSelection& selection);

}  // namespace contend::analyze
