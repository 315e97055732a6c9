// What recording costs on this machine, measured once at start-up by the
// preload library (preload/self_cost.cpp) and written into every trace of
// the process (a forked child's too) as a COST record: the report
// multiplies it by what the run did and says how much profiling added.
#pragma once

#include "thread/thread_state.h"

#include <contend/trace_format.h>

namespace contend::preload {

struct SelfCost {
  bool measured = false;
  uint64_t pair_ps = 0;          // an uncontended lock/unlock pair, profiled minus plain
  uint64_t wait_ps = 0;          // one recorded wait, its stack aside
  uint64_t stack_ps = 0;         // one stack capture at the configured depth
  uint64_t hold_ps = 0;          // one timed hold
  uint64_t reused_stack_ps = 0;  // one stack reused from the memo (record/stack_memo.h)
};

inline SelfCost g_self_cost;

// The COST record in t's ring, once measured.
inline void push_self_cost(ThreadState& t) {
  if (!g_self_cost.measured) return;
  format::CostRecord r{};
  r.header = format::make_header<format::CostRecord>();
  r.pair_ps = g_self_cost.pair_ps;
  r.wait_ps = g_self_cost.wait_ps;
  r.stack_ps = g_self_cost.stack_ps;
  r.hold_ps = g_self_cost.hold_ps;
  r.reused_stack_ps = g_self_cost.reused_stack_ps;
  t.push(r);
}

}  // namespace contend::preload
