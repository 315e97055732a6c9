"""The report states its own cost: every trace carries what recording costs
on the machine (a COST record, measured at start-up; a forked child repeats
its parent's), and the report multiplies it by what the run did: "profiling
added about X to thread time", in the table and in JSON. The estimate is
checked loosely here (positive, grows with the work, below the run's
thread time); docs/PERFORMANCE.md compares it with measured runs."""

import re
import subprocess

from contend_e2e import Env

env = Env()
prog = env.program("many_distinct_locks")


def cost_of(locks):
    env.clean_traces()
    run = env.run([prog, str(locks)])
    env.check_eq(run.returncode, 0, f"{locks} locks: exit code")
    dump = subprocess.run([env.report, "--dump", *env.traces()], capture_output=True, text=True, timeout=60).stdout
    costs = re.findall(r" COST\s+pair_ps=(\d+) wait_ps=(\d+) stack_ps=(\d+) hold_ps=(\d+)", dump)
    env.check_eq(len(costs), 1, f"{locks} locks: one COST record")
    if costs:
        pair, wait, _, hold = (int(x) for x in costs[0])
        env.check(0 < pair < 1000000, f"{locks} locks: a lock/unlock pair costs {pair} ps")
        env.check(0 < wait < 100000000 and 0 < hold < 10000000, f"{locks} locks: wait {wait} ps, hold {hold} ps")
    report = env.report_json(env.traces())
    if not report:
        return 0
    s = report["summary"]
    env.check_eq(s["profiling_cost_known"], True, f"{locks} locks: the cost is known")
    env.check(0 < s["profiling_cost_ns"] < s["thread_time_ns"],
              f"{locks} locks: {s['profiling_cost_ns']} ns added, of {s['thread_time_ns']} ns thread time")
    table = subprocess.run([env.report, *env.traces()], capture_output=True, text=True, timeout=60).stdout
    env.check(re.search(r"profiling added about \S+ \S+ to thread time \([0-9.]+% of it\)", table) is not None,
              f"{locks} locks: the table says it")
    return s["profiling_cost_ns"]


small = cost_of(100)
large = cost_of(8000)
env.check(large > small, f"more work, more cost: {small} ns for 100 locks, {large} ns for 8000")

# A wait from where the thread waited before reuses that walk, and says so:
# handoff's worker waits 10 times from one call site, so the first is walked
# and the other 9 are reused, all with the same stack; the COST record says
# what a reused stack costs, and the estimate counts them at that cost.
def handoff_waits(extra_env):
    env.clean_traces()
    run = env.run([env.program("handoff")], env=extra_env)
    env.check_eq(run.returncode, 0, f"handoff {extra_env}: exit code")
    dump = subprocess.run([env.report, "--dump", *env.traces()], capture_output=True, text=True, timeout=60).stdout
    waits = [line for line in dump.splitlines() if " WAIT " in line]
    reused = [line for line in waits if line.endswith(" stack-reused")]
    stacks = {re.search(r" stack=(\d+)", line).group(1) for line in waits}
    return dump, waits, reused, stacks


dump, waits, reused, stacks = handoff_waits({})
env.check_eq(len(waits), 10, "handoff: waits")
env.check_eq(len(reused), 9, "handoff: waits whose stack was reused")
env.check(len(waits) == 0 or " stack-reused" not in waits[0], "handoff: the first wait is walked")
env.check_eq(len(stacks), 1, "handoff: distinct stacks of the waits")
costs = re.findall(r" COST .* stack_ps=(\d+) .* reused_stack_ps=(\d+)", dump)
env.check_eq(len(costs), 1, "handoff: one COST record with reused_stack_ps")
if costs:
    walk, reuse = (int(x) for x in costs[0])
    env.check(0 < reuse < walk, f"handoff: a reused stack costs {reuse} ps, a walk {walk} ps")
# Deeper than the memo keeps (16 frames): every wait is walked.
_, waits, reused, stacks = handoff_waits({"CONTEND_STACK_DEPTH": "17"})
env.check_eq((len(waits), len(reused), len(stacks)), (10, 0, 1), "handoff at depth 17: waits, reused, stacks")

# A forked child's trace says what it cost too.
env.clean_traces()
run = env.run([env.program("fork_contention")], env={"CONTEND_OUTPUT": env.workdir + "/trace.bin.%p"})
env.check_eq(run.returncode, 0, "fork: exit code")
traces = env.traces()
env.check(len(traces) >= 2, f"fork: {len(traces)} traces")
for t in traces:
    dump = subprocess.run([env.report, "--dump", t], capture_output=True, text=True, timeout=60).stdout
    env.check(" COST " in dump, f"fork: {t.rsplit('/', 1)[-1]} has a COST record")
report = env.report_json(traces)
if report:
    env.check_eq(report["summary"]["profiling_cost_known"], True, "fork: the cost is known for every process")

env.finish()
