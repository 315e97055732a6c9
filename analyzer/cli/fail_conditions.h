// --fail-if: budgets a CI job can hold a program to. A condition is
// METRIC OP VALUE, e.g. "contention>1%", "lock_share>5%", "p99>1ms":
//
//   contention   percent of thread time spent waiting on locks      (%)
//   lock_share   the largest share of all lock wait held by one lock (%)
//   p99          the largest p99 single wait of any lock             (ns, us, ms, s)
//   max_wait     the longest single wait of any lock                 (ns, us, ms, s)
//   wait         total lock wait                                     (ns, us, ms, s)
//   contended    contended acquisitions                              (count)
//   dropped      events lost to full rings                           (count)
//
// OP is one of > >= < <=. A breached condition prints one verdict line.
#pragma once

#include "report/report.h"

#include <string>
#include <vector>

namespace contend::analyze {

struct FailCondition {
  std::string text;  // as given
  std::string metric;
  std::string op;
  double value = 0;  // percent, nanoseconds or a count
};

// Throws std::invalid_argument with a one-line reason.
FailCondition parse_fail_condition(const std::string& text);

// One line per breached condition; empty when all hold.
std::vector<std::string> evaluate(const std::vector<FailCondition>& conditions, const Report& report);

}  // namespace contend::analyze
