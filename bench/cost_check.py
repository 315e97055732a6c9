#!/usr/bin/env python3
"""Plain against profiled, side by side, for programs that do a fixed amount
of work: the bench programs, real lock-heavy programs (sysbench mutex,
stress-ng --mutex) and the examples. Runs alternate (plain, profiled, ...),
`--pairs` of each; the table shows the medians of wall time and their ratio,
the CPU time profiling added as measured (median profiled minus median plain,
user + system of the whole process tree) and as the report estimates it
("profiling added about X to thread time": the recorder's own costs,
measured at its start-up, times what the run did), and their ratio.

  bench/cost_check.py [--build build] [--pairs 5] [--only NAME] [--lib other/libcontend.so] [--json out.json]
"""

import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

from timed_run import run_timed


def cases(bin_dir):
    out = [
        ("pair_loop (1 thread, 20M uncontended pairs)", [f"{bin_dir}/pair_loop", "20000000"]),
        ("lock_mix (2 threads, 6 lock kinds)", [f"{bin_dir}/lock_mix", "300000"]),
    ]
    if shutil.which("sysbench"):
        out.append(("sysbench mutex --threads=4 --mutex-num=1 --mutex-locks=5000000 --mutex-loops=0",
                    ["sysbench", "mutex", "--threads=4", "--mutex-num=1", "--mutex-locks=5000000",
                     "--mutex-loops=0", "run"]))
    if shutil.which("stress-ng"):
        out.append(("stress-ng --mutex 2 --mutex-ops 200000", ["stress-ng", "--mutex", "2", "--mutex-ops",
                                                                "200000", "-q"]))
    for name in ["alloc_pool", "kvstore", "graph_cache"]:
        if os.path.exists(f"{bin_dir}/{name}"):
            out.append((f"example {name}", [f"{bin_dir}/{name}"]))
    return out


def run_once(cmd, env, attempts=3):
    """Wall and CPU seconds of one successful run. A failed run is said and
    run again: stress-ng's mutex stressor gives up now and then when its
    first thread finishes before the creator checks its flag (exit 3, "could
    not create any pthreads"), with or without the profiler."""
    for attempt in range(attempts):
        run = run_timed(cmd, env=env)
        if run.returncode == 0:
            return run.wall, run.cpu
        profiled = "profiled" if "LD_PRELOAD" in env else "plain"
        print(f"{cmd[0]}: a {profiled} run exited {run.returncode} (attempt {attempt + 1})", file=sys.stderr)
    sys.exit(f"{' '.join(cmd)} failed {attempts} times")


def estimate(report, traces):
    out = subprocess.run([report, "--no-symbols", "-f", "json", *traces], capture_output=True, text=True,
                         timeout=600)
    if out.returncode != 0:
        sys.exit(f"contend-report failed: {out.stderr[-1000:]}")
    s = json.loads(out.stdout)["summary"]
    return s["profiling_cost_ns"] / 1e9 if s.get("profiling_cost_known") else None


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default="build")
    p.add_argument("--pairs", type=int, default=5)
    p.add_argument("--only", help="run the cases whose name contains this")
    p.add_argument("--lib", help="another libcontend.so to profile with (a baseline build's)")
    p.add_argument("--json")
    args = p.parse_args()
    build = os.path.abspath(args.build)
    bin_dir, lib = os.path.join(build, "bin"), os.path.join(build, "lib", "libcontend.so")
    if args.lib:
        lib = os.path.abspath(args.lib)
    report = os.path.join(bin_dir, "contend-report")
    base = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    results = {}
    rows = []
    for name, cmd in cases(bin_dir):
        if args.only and args.only not in name:
            continue
        work = tempfile.mkdtemp(prefix="contend-cost-")
        prof_env = {**base, "LD_PRELOAD": lib, "CONTEND_OUTPUT": os.path.join(work, "t.%p")}
        plain, prof, est = [], [], []
        for _ in range(args.pairs):
            plain.append(run_once(cmd, base))
            prof.append(run_once(cmd, prof_env))
            traces = glob.glob(os.path.join(work, "t.*"))
            est.append(estimate(report, traces))
            for t in traces:
                os.remove(t)
        shutil.rmtree(work, ignore_errors=True)
        wall_plain = statistics.median(w for w, _ in plain)
        wall_prof = statistics.median(w for w, _ in prof)
        added = statistics.median(c for _, c in prof) - statistics.median(c for _, c in plain)
        known = [e for e in est if e is not None]
        estimated = statistics.median(known) if known else None
        results[name] = {"plain": plain, "profiled": prof, "estimated_s": est}
        rows.append((name, wall_plain, wall_prof, added, estimated))
        print(f"{name}: done", file=sys.stderr)
    width = max(len(r[0]) for r in rows) if rows else 10
    print(f"{'case':<{width}} {'plain s':>8} {'contend s':>9} {'ratio':>6} {'added CPU s':>11} "
          f"{'estimated s':>11} {'est/meas':>8}")
    for name, wp, wc, added, est in rows:
        ratio = f"{est / added:8.2f}" if est is not None and added > 0 else "       -"
        est_text = f"{est:11.3f}" if est is not None else "          -"
        print(f"{name:<{width}} {wp:8.3f} {wc:9.3f} {wc / wp:5.2f}x {added:11.3f} {est_text} {ratio}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
