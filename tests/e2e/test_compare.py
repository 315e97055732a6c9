"""Comparisons across runs, with exact answers from tests/programs/scaling_gate
(WORKERS workers, ROUNDS rounds; the program's header has the counts):
contend-report diff of the planted run against its fixed run, a diff that
breaches a budget (exit 3), and contend sweep over 1, 2, 4 and 8 workers,
whose contention grows with the count as the program is built to."""

import json
import os
import subprocess
import xml.etree.ElementTree as ET

from contend_e2e import Env

env = Env()
launcher = os.path.join(os.path.dirname(env.report), "contend")
program = env.program("scaling_gate")
ROUNDS = 4


def record(name, *args):
    out = env.run([program, *args], trace=name)
    env.check_eq(out.returncode, 0, f"scaling_gate {' '.join(args)} exits 0")
    return os.path.join(env.workdir, name)


def diff(*args):
    return subprocess.run([env.report, "diff", *args], capture_output=True, text=True, timeout=120)


def by_name(rows):
    return {(r["name"], r["kind"]): r for r in rows}


# --- diff: planted against fixed, 4 workers --------------------------------------------------
planted = record("planted.trace", "4", str(ROUNDS))
fixed = record("fixed.trace", "--fixed", "4", str(ROUNDS))
out = diff(planted, fixed, "--format", "json", "--ops", str(ROUNDS * 100))
env.check_eq(out.returncode, 0, f"diff exits 0: {out.stderr.strip()}")
d = json.loads(out.stdout)
env.check_eq(d["format"], "contend-diff", "format")
env.check_eq(d["schema_version"], 1, "schema_version")
locks = by_name(d["locks"])
gate = locks.get(("g_gate", "mutex"))
env.check(gate is not None, "the gate is matched by its variable's name")
if gate:
    env.check_eq(gate["status"], "vanished", "the fix has no gate")
    env.check_eq(gate["before"]["acquisitions"], ROUNDS * 5, "gate acquisitions before: rounds x (4 + 1)")
    env.check_eq(gate["before"]["contended"], ROUNDS * 4, "gate contended before: every worker, every round")
    env.check_eq(gate["after"], None, "nothing after")
    env.check_eq(gate["change"]["contended"], -ROUNDS * 4, "contended change")
    env.check_eq(gate["change"]["wait_pct"], -100, "wait change -100%")
    env.check_eq(d["locks"][0]["name"], "g_gate", "the gate ranks first (the largest change in wait)")
log = locks.get(("g_log", "mutex"))
env.check(log is not None and log["status"] == "both", "the log lock is in both runs (at another address)")
if log:
    env.check_eq((log["before"]["contended"], log["after"]["contended"]), (ROUNDS, ROUNDS),
                 "log contended once a round, before and after")
    env.check_eq(log["change"]["contended"], 0, "log unchanged")
shards = [r for r in d["locks"] if r["name"].startswith("g_shard")]
env.check_eq(len(shards), 4, "four shard locks, one per worker, new")
env.check(all(s["status"] == "new" and s["after"]["contended"] == 0 and s["after"]["acquisitions"] == ROUNDS
              for s in shards), "each shard: new, taken once a round, never contended")
env.check_eq(d["base"]["contended"], ROUNDS * 5, "base: gate and log contended")
env.check_eq(d["new"]["contended"], ROUNDS, "new: only the log")
env.check_eq(d["base"]["futex_waits"], ROUNDS * 5, "futex waits before: one per contended acquisition")
env.check_eq(d["base"]["futex_wakes"], ROUNDS * 5, "futex wakes before: the gate's 4 a round and the log's 1")
env.check_eq(d["new"]["futex_wakes"], ROUNDS, "futex wakes after: the log's")
env.check_eq(d["base"]["acquisitions_per_op"], (ROUNDS * 5 + ROUNDS * 2) / (ROUNDS * 100),
             "acquisitions per operation before")
env.check_eq(d["new"]["acquisitions_per_op"], (ROUNDS * 4 + ROUNDS * 2) / (ROUNDS * 100),
             "acquisitions per operation after")
sites = {s["function"]: s for s in d["sites"]}
env.check("pass_gate" in sites and sites["pass_gate"]["status"] == "vanished",
          f"the waiting site pass_gate is gone: {sorted(sites)}")
env.check("log_helper" in sites and sites["log_helper"]["status"] == "both", "log_helper waits in both")
env.check(d["verdict"].startswith("Wait on `g_gate` (mutex) fell "), f"verdict: {d['verdict'][:80]!r}")
env.check("the lock is gone in NEW" in d["verdict"] and "Total lock wait fell" in d["verdict"],
          "verdict says the gate is gone and the total fell")

table = diff(planted, fixed)
env.check_eq(table.returncode, 0, "table exits 0")
lines = table.stdout.splitlines()
env.check(len(lines) > 4 and lines[4].startswith("Wait on `g_gate` (mutex) fell"), "the verdict is at the top")
env.check(any(l.split()[:4] == ["1", "g_gate", "mutex", "gone"] for l in lines), "the table's first lock row")
csv = diff(planted, fixed, "--format", "csv").stdout.splitlines()
header = csv[0].split(",")
gate_row = next((r.split(",") for r in csv[1:] if r.startswith("g_gate,")), None)
env.check(gate_row is not None, "CSV has the gate")
if gate_row:
    row = dict(zip(header, gate_row))
    env.check_eq((row["status"], row["contended_before"], row["contended_after"]),
                 ("vanished", str(ROUNDS * 4), "0"), "CSV gate row")

# --- budgets: undoing the fix breaches them (exit 3); the fix does not --------------------------
worse = diff(fixed, planted, "--fail-if", "wait_increase>10%", "--fail-if", "new_locks>1")
env.check_eq(worse.returncode, 3, "a diff that breaches a budget exits 3")
env.check("contend-report: FAIL wait_increase>10%: wait_increase is " in worse.stderr,
          f"one verdict line: {worse.stderr.strip()!r}")
env.check("new_locks" not in worse.stderr, "the budget that holds says nothing (one new lock: the gate)")
better = diff(planted, fixed, "--fail-if", "wait_increase>10%", "--fail-if", "contention_increase>1pt")
env.check_eq(better.returncode, 0, f"the fix holds the budgets: {better.stderr.strip()!r}")
halved = diff(planted, fixed, "--fail-if", "wait_increase>-50%")
env.check_eq(halved.returncode, 0, "negative budget: the wait at least halved")
bad = diff(planted, fixed, "--fail-if", "contention>1%")
env.check_eq(bad.returncode, 1, "a report metric is not a diff metric: usage error")

# --- sweep: 1, 2, 4, 8 workers, 3 runs each ----------------------------------------------------
sweep_dir = os.path.join(env.workdir, "sweep")
sweep = subprocess.run([launcher, "sweep", "--threads", "1,2,4,8", "--repeat", "3", "--ops", r"operations: (\d+)",
                        "-o", sweep_dir, "-f", "json", "--", program, "{threads}", str(ROUNDS)],
                       capture_output=True, text=True, timeout=300)
env.check_eq(sweep.returncode, 0, f"sweep exits 0: {sweep.stderr.strip()[-300:]}")
s = json.loads(sweep.stdout) if sweep.returncode == 0 else {"points": [], "scaling": {}}
env.check_eq([p["threads"] for p in s["points"]], [1, 2, 4, 8], "one point per count")
for p in s["points"]:
    n = p["threads"]
    env.check_eq(len(p["runs"]), 3, f"{n}: three runs")
    env.check_eq(p["contended"], ROUNDS * (n + 1), f"{n}: contended = rounds x (workers + 1)")
    env.check_eq(p["acquisitions"], ROUNDS * (n + 3), f"{n}: acquisitions = rounds x (workers + 3)")
    env.check_eq(p["futex_waits"], ROUNDS * (n + 1), f"{n}: futex waits")
    env.check_eq(p["futex_wakes"], ROUNDS * (n + 1), f"{n}: futex wakes")
    env.check_eq(p["operations"], ROUNDS * 100, f"{n}: operations read from the output")
    env.check_eq(round(p["acquisitions_per_op"], 9), round((n + 3) / 100, 9), f"{n}: acquisitions per operation")
    env.check_eq(p["locks"][0]["name"], "g_gate", f"{n}: the gate is the top lock")
    env.check_eq(p["locks"][0]["contended"], ROUNDS * n, f"{n}: gate contended = rounds x workers")
    env.check(p["wall_ns"]["min"] <= p["wall_ns"]["median"] <= p["wall_ns"]["max"], f"{n}: median within spread")
    for run in p["runs"]:
        env.check(len(run["traces"]) == 1 and os.path.exists(run["traces"][0]), f"{n}/{run['run']}: trace kept")
        env.check("operations: 400" in open(run["output"]).read(), f"{n}/{run['run']}: output kept")
waiting = [p["contention_pct"] for p in s["points"]]
env.check(waiting == sorted(waiting) and waiting[-1] > 3 * waiting[0], f"waiting grows with the count: {waiting}")
scaling = s["scaling"]
env.check_eq(scaling.get("stops_at"), 4, f"scaling stops at 4 workers: {scaling.get('line')!r}")
env.check_eq((scaling.get("fastest_lock") or {}).get("name"), "g_gate", "the gate grows fastest")
svg = os.path.join(sweep_dir, "sweep.svg")
env.check(os.path.exists(svg), "the plot is written next to the traces")
if os.path.exists(svg):
    root = ET.parse(svg).getroot()
    env.check(root.tag.endswith("svg"), "well-formed SVG")
    env.check(len([e for e in root.iter() if e.tag.endswith("circle")]) == 8, "four points in each panel")
    env.check(not any(e.get("href") or e.get("{http://www.w3.org/1999/xlink}href") for e in root.iter()),
              "self-contained: no link to anything")
env.check(os.path.exists(os.path.join(sweep_dir, "sweep.json")), "sweep.json is written next to the traces")
# Two of the sweep's run directories, diffed: the directory's traces, not the program's output beside them.
runs = diff(os.path.join(sweep_dir, "threads-1.run-1"), os.path.join(sweep_dir, "threads-8.run-1"), "-f", "json")
env.check_eq(runs.returncode, 0, f"diff of two run directories exits 0: {runs.stderr.strip()!r}")
if runs.returncode == 0:
    gate = by_name(json.loads(runs.stdout)["locks"]).get(("g_gate", "mutex"))
    env.check(gate is not None and (gate["before"]["contended"], gate["after"]["contended"]) == (ROUNDS, ROUNDS * 8),
              "1 worker against 8: the gate's contended acquisitions, rounds x workers")

# --- sweep through CONTEND_THREADS, the table ----------------------------------------------------
env_dir = os.path.join(env.workdir, "sweep-env")
table = subprocess.run([launcher, "sweep", "--threads", "1,2", "-o", env_dir, "-q", "--throughput",
                        r"throughput: ([0-9.]+)", "--", program], capture_output=True, text=True, timeout=300)
env.check_eq(table.returncode, 0, "sweep with CONTEND_THREADS exits 0")
env.check_eq(table.stderr, "", "-q: nothing on stderr")
lines = table.stdout.splitlines()
start = next((i for i, l in enumerate(lines) if l.split()[:2] == ["threads", "wall"]), len(lines))
rows = [l.split() for l in lines[start + 1:] if l.strip()[:1].isdigit()]
env.check_eq([r[0] for r in rows], ["1", "2"], f"table rows: {table.stdout!r}")
for n in (1, 2):
    out = open(os.path.join(env_dir, f"threads-{n}.run-1", "output.txt")).read()
    env.check(f"planted, {n} workers" in out, f"the program read CONTEND_THREADS={n}")
env.check("Fastest-growing lock: `g_gate` (mutex)" in " ".join(lines), "the table names the fastest-growing lock")

fail = subprocess.run([launcher, "sweep", "--threads", "2", "-o", env_dir, "-q", "--", program, "0"],
                      capture_output=True, text=True, timeout=60)
env.check_eq(fail.returncode, 2, "a failing run: the sweep exits with its status")
env.check("exited with status 2 at 2 threads" in fail.stderr, f"and says so: {fail.stderr.strip()!r}")
env.finish()
