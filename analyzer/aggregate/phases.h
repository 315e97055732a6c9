// Phases of a run, found on its time line: stretches with the same number
// of threads alive are one phase each ("steady state", or "start-up" and
// "wind-down" at the ends when the program runs alone there, "transition"
// for a short dip in threads between two longer stretches), and a short
// stretch whose share of thread time waiting stands far above its phase's
// usual level is a "burst" of its own.
#pragma once

#include "report/timeline.h"

#include <string>
#include <vector>

namespace contend::analyze {

// `rows`: consecutive intervals of one width. Every interval belongs to
// exactly one phase; phases are in time order.
std::vector<PhaseRow> find_phases(const std::vector<IntervalRow>& rows);

// The name of the phase at `ns`, or "".
std::string phase_at(const std::vector<PhaseRow>& phases, uint64_t ns);

}  // namespace contend::analyze
