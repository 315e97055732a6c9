"""Process lifecycle: fork (two traces, exact counts each), exec (a script
running two profiled programs), every way to exit, a closed stderr, and
CONTEND_CHILDREN=0."""

import os

from contend_e2e import Env, find_lock

env = Env()


def one_report(path):
    report = env.report_json([path])
    return report if report else {"locks": [], "summary": {}, "processes": [{}]}


# fork: parent and child contend on different locks after fork.
run = env.run([env.program("fork_contention")])
env.check_eq(run.returncode, 0, "fork: exit code")
addresses = dict(zip(["before", "parent", "child"], run.stdout.split("\n")[-2].split()[1::2]))
traces = env.traces()
env.check_eq(len(traces), 2, f"fork: two traces {traces}")
by_pid = {}
for t in traces:
    r = one_report(t)
    by_pid[r["processes"][0].get("pid")] = r
child_pid = int(run.stdout.split("\n")[0].split()[1])
child = by_pid.get(child_pid)
parent = next((r for pid, r in by_pid.items() if pid != child_pid), None)
if env.check(child is not None and parent is not None, "fork: one trace per process"):
    c = find_lock(child, addresses["child"])
    env.check(c is not None and (c["acquisitions"], c["contended"]) == (8, 4), f"fork: child lock 8/4 ({c})")
    env.check_eq(len(child["locks"]), 1, "fork: nothing of the parent's in the child's trace")
    p = find_lock(parent, addresses["parent"])
    env.check(p is not None and (p["acquisitions"], p["contended"]) == (6, 3), f"fork: parent lock 6/3 ({p})")
    b = find_lock(parent, addresses["before"])
    env.check(b is not None and (b["acquisitions"], b["contended"]) == (5, 2),
              f"fork: pre-fork lock only in the parent, 5/2 ({b})")
    env.check_eq(child["processes"][0]["ppid"], parent["processes"][0]["pid"], "fork: the child names its parent")

# exec: a shell script runs two profiled programs.
env.clean_traces()
run = env.run(["/bin/sh", os.path.join(os.path.dirname(__file__), "..", "programs", "run_two.sh"),
               env.program("handoff")])
env.check_eq(run.returncode, 0, "exec: exit code")
handoffs = [r for r in (one_report(t) for t in env.traces())
            if r["processes"][0].get("exe", "").endswith("/handoff")]
env.check_eq(len(handoffs), 2, "exec: two handoff traces")
for r in handoffs:
    lock = r["locks"][0] if r["locks"] else {}
    env.check_eq((lock.get("acquisitions"), lock.get("contended")), (20, 10), "exec: each run's own exact counts")
    env.check_eq(r["summary"]["incomplete_traces"], 0, "exec: each trace complete")

# Every way to end a process writes a complete trace.
for how, code in [("return", 0), ("exit", 7), ("_exit", 7), ("_Exit", 7), ("quick_exit", 7), ("thread-exit", 7)]:
    env.clean_traces()
    run = env.run([env.program("exit_variants"), how])
    env.check_eq(run.returncode, code, f"{how}: exit code")
    r = one_report(env.traces()[0]) if env.traces() else None
    if env.check(r is not None, f"{how}: a trace"):
        env.check(r["processes"][0]["complete"], f"{how}: the trace has its footer")
        lock = r["locks"][0] if r["locks"] else {}
        env.check_eq((lock.get("acquisitions"), lock.get("contended")), (6, 3), f"{how}: exact counts")

# A program that closes stdout and stderr still gets its summary.
env.clean_traces()
run = env.run([env.program("closed_stderr")], env={"CONTEND_STATS": "1"})
env.check_eq(run.returncode, 0, "closed stderr: exit code")
env.check("6 acquisitions, 3 contended (50.0%)" in run.stderr, "closed stderr: summary still printed")

# CONTEND_CHILDREN=0: neither forked nor exec'd children are profiled.
env.clean_traces()
run = env.run([env.program("fork_contention")], env={"CONTEND_CHILDREN": "0"})
env.check_eq(run.returncode, 0, "no children (fork): exit code")
env.check_eq(len(env.traces()), 1, "no children (fork): only the parent's trace")
env.clean_traces()
run = env.run(["/bin/sh", os.path.join(os.path.dirname(__file__), "..", "programs", "run_two.sh"),
               env.program("handoff")], env={"CONTEND_CHILDREN": "0"})
env.check_eq(run.returncode, 0, "no children (exec): exit code")
env.check_eq(len(env.traces()), 1, "no children (exec): only the shell's trace")
env.finish()
