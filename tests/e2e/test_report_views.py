"""contend-report's analysis options on real traces: the JSON schema, CSV and
folded output, the site and thread views, sorting and filters, several
traces at once and --pid, and --fail-if budgets (exit 3 exactly when a
condition is breached)."""

import csv
import io
import json
import os
import subprocess

import json_schema
from contend_e2e import Env

env = Env()
schema = json.load(open(os.path.join(os.path.dirname(__file__), "..", "..", "docs", "report.schema.json")))


def report(*args):
    return subprocess.run([env.report, *args], capture_output=True, text=True, timeout=120)


run = env.run([env.program("fork_contention")])
env.check_eq(run.returncode, 0, "fork_contention ran")
traces = env.traces()
parent = min(traces, key=len)

# JSON: every field of the documented schema, for every trace combination.
for args in ([parent], traces, ["--view", "site", parent], ["--top", "1000", *traces]):
    out = report("--format", "json", *args)
    doc = json.loads(out.stdout)
    problems = json_schema.errors(doc, schema)
    env.check(not problems, f"JSON matches docs/report.schema.json for {args[:-1] or 'defaults'}: {problems[:3]}")
merged = json.loads(report("--format", "json", *traces).stdout)
env.check_eq(len(merged["processes"]), 2, "two traces: two processes")
env.check_eq(sorted(merged["summary"]["pids"]), sorted(p["pid"] for p in merged["processes"]), "summary lists the pids")
env.check_eq(merged["summary"]["contended"], 2 + 3 + 4, "merged: parent 2+3 and child 4 contended")
child_pid = max(merged["processes"], key=lambda p: p["ppid"] == merged["processes"][0]["pid"])["pid"]
only = json.loads(report("--format", "json", "--pid", str(child_pid), *traces).stdout)
env.check_eq(only["summary"]["pids"], [child_pid], "--pid keeps one process")
env.check_eq(only["summary"]["contended"], 4, "--pid: the child's 4 contended")
quoted = report("--format", "json", os.path.join(env.workdir, "trace.bin*"))
env.check_eq(len(json.loads(quoted.stdout)["processes"]), 2, "a quoted glob is expanded")
bad_pid = report("--pid", "1", *traces)
env.check_eq(bad_pid.returncode, 2, "--pid of no trace: exit 2")

# Table: per-process lines for a family, and the views.
table = report(*traces).stdout
env.check(table.count("  pid ") == 2, "table: one line per process")
sites = report("--view", "site", parent).stdout
env.check("waiting call sites" in sites and "handoff_worker" in sites, "site view names the waiting function")
threads = report("--view", "thread", parent).stdout
env.check("threads by lock wait" in threads, "thread view")

# Sorting and filters.
by_rate = json.loads(report("--format", "json", "--sort", "rate", "--top", "100", parent).stdout)["locks"]
rates = [l["contention_rate"] for l in by_rate]
env.check(rates == sorted(rates, reverse=True), f"--sort rate orders by rate {rates}")
for key in ["wait", "contended", "rate", "hold", "max", "p99"]:
    env.check_eq(report("--sort", key, parent).returncode, 0, f"--sort {key} accepted")
env.check_eq(report("--sort", "colour", parent).returncode, 1, "unknown sort key: exit 1")
everything = json.loads(report("--format", "json", "--top", "100", parent).stdout)["locks"]
name = everything[0]["name"]
filtered = json.loads(report("--format", "json", "--lock", name, parent).stdout)["locks"]
env.check(len(filtered) >= 1 and all(name in l["name"] for l in filtered), f"--lock {name!r} keeps matching locks")
env.check_eq(json.loads(report("--format", "json", "--lock", "no-such-lock", parent).stdout)["locks"], [],
             "--lock with no match: no rows")
big = json.loads(report("--format", "json", "--min-wait", "25ms", parent).stdout)["locks"]
env.check(all(l["wait_ns"]["total"] >= 25_000_000 for l in big) and len(big) == 1,
          f"--min-wait 25ms keeps the lock that waited 30 ms ({[l['wait_ns']['total'] for l in big]})")
waiter = next(t for t in merged["threads"] if t["pid"] != child_pid and t["lock_wait_ns"] > 0)
mine = json.loads(report("--format", "json", "--thread", str(waiter["tid"]), parent).stdout)
env.check_eq(mine["summary"]["wait_ns"], waiter["lock_wait_ns"], f"--thread {waiter['tid']}: only its waits")
env.check(0 < mine["summary"]["contended"] < 5, f"--thread: some of the 5 waits ({mine['summary']['contended']})")

# CSV and folded stacks.
rows = list(csv.DictReader(io.StringIO(report("--format", "csv", parent).stdout)))
env.check(len(rows) == 2 and {"name", "wait", "p99", "hold", "share", "thread_time"} <= set(rows[0]),
          f"CSV: a row per lock with the columns ({len(rows)} rows)")
env.check(all(int(r["wait"]) >= 0 for r in rows), "CSV: raw nanoseconds")
for weight in ["wait", "contended", "hold"]:
    lines = report("--format", "folded", "--weight", weight, parent).stdout.splitlines()
    ok = all(" " in l and l.rsplit(" ", 1)[1].isdigit() and "[mutex " in l for l in lines)
    env.check(ok and (weight == "hold" or lines), f"folded --weight {weight}: 'frames weight' lines ({len(lines)})")
waits = report("--format", "folded", "--weight", "contended", parent).stdout.splitlines()
env.check_eq(sum(int(l.rsplit(" ", 1)[1]) for l in waits), 5, "folded contended weights sum to the 5 waits")
env.check(any("handoff_worker" in l for l in waits), "folded stacks are symbolized")

# --fail-if budgets.
pct = merged["summary"]["contention_pct"]
merged_locks = json.loads(report("--format", "json", "--top", "100", *traces).stdout)["locks"]
share = max(l["share_of_wait"] for l in merged_locks) * 100
p99 = max(l["wait_ns"]["p99"] for l in merged_locks)
cases = [
    (f"contention>{pct * 1.5:.3f}%", 0), (f"contention>{pct * 0.5:.3f}%", 3),
    (f"lock_share>{share + 1:.3f}%", 0), (f"lock_share>{share - 1:.3f}%", 3),
    (f"p99>{p99 * 2 / 1e6:.3f}ms", 0), (f"p99>{p99 / 2 / 1e6:.3f}ms", 3),
    ("dropped>0", 0), ("contended>=9", 3), ("contended<9", 0),
]
for cond, expected in cases:
    r = report(*traces, "--fail-if", cond)
    env.check_eq(r.returncode, expected, f"--fail-if {cond}")
    if expected == 3:
        env.check(f"FAIL {cond}:" in r.stderr, f"verdict line for {cond}: {r.stderr.strip()}")
two = report(*traces, "--fail-if", f"contention>{pct * 0.5:.3f}%", "--fail-if", "contended>=9")
env.check_eq(two.stderr.count("FAIL "), 2, "one verdict line per breached condition")
for bad in ["contention", "latency>1ms", "p99>fast", "contention>5ms"]:
    env.check_eq(report(parent, "--fail-if", bad).returncode, 1, f"--fail-if {bad!r}: exit 1")
env.finish()
