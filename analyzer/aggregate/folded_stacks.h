// A lock's stacks for flame graphs (and any format that draws stacks): each
// distinct stack once, with its summed weight.
#pragma once

#include "model/decoded_trace.h"
#include "report/report.h"
#include "symbolize/symbolizer.h"

#include <vector>

namespace contend::analyze {

enum class FoldedWeight { kNone, kWait, kContended, kHold };

// The stacks that waited for (or held, kHold) the lock of `row`, whose name
// and kind must be set: frames root first, inlined calls as frames of their
// own, the lock itself last. Ordered as their ';'-joined texts sort; stacks
// of weight 0 left out.
std::vector<FoldedStack> folded_stacks(const DecodedTrace& trace, const LockData& lock, const LockRow& row,
                                       FoldedWeight weight, Symbolizer& symbolizer);

}  // namespace contend::analyze
