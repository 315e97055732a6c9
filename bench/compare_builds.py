#!/usr/bin/env python3
"""Before and after: the recorder's costs from two builds, side by side in
one run. For each case the runs alternate (plain, baseline, this build, ...)
`--rounds` times and the table shows medians:

- one stack capture (16 frames), one recorded wait without and with a
  16-frame stack: bench/record_cost_bench of each build, CPU time;
- the uncontended pair in Google Benchmark's loop (lock_bench
  BM_MutexPair) and in a plain C loop (pair_loop, 20M pairs), under each
  build's libcontend.so;
- lock_mix, sysbench mutex and the graph_cache example (an rwlock whose
  writers spin: waits that start later change the run), wall time, under
  each build's library.

  bench/compare_builds.py --baseline OTHER_BUILD [--build build] [--rounds 5]

OTHER_BUILD is a Release build of an older commit, e.g.
  git worktree add /tmp/before REV && cmake -S /tmp/before -B /tmp/before/build -G Ninja \\
      -DCMAKE_BUILD_TYPE=Release && cmake --build /tmp/before/build
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile

from timed_run import run_timed


def gbench(binary, flt, env=None):
    out = subprocess.run([binary, f"--benchmark_filter={flt}", "--benchmark_format=json",
                          "--benchmark_min_time=0.3"], capture_output=True, text=True, env=env, check=True)
    return {b["name"]: b["cpu_time"] for b in json.loads(out.stdout)["benchmarks"]}


def wall(cmd, env):
    run = run_timed(cmd, env=env)
    if run.returncode != 0:
        raise SystemExit(f"failed ({run.returncode}): {' '.join(cmd)}")
    return run.wall


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--baseline", required=True, help="the older build directory")
    p.add_argument("--build", default="build")
    p.add_argument("--rounds", type=int, default=5)
    args = p.parse_args()
    builds = {"before": os.path.abspath(args.baseline), "after": os.path.abspath(args.build)}
    plain = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    work = tempfile.mkdtemp(prefix="contend-compare-")

    def preload(side):
        return {**plain, "LD_PRELOAD": f"{builds[side]}/lib/libcontend.so",
                "CONTEND_OUTPUT": os.path.join(work, f"{side}.%p")}

    # Programs from this build, so that both libraries run the same code.
    bin_dir = f"{builds['after']}/bin"
    walls = {"pair_loop 20M": [f"{bin_dir}/pair_loop", "20000000"],
             "lock_mix 300000": [f"{bin_dir}/lock_mix", "300000"]}
    if shutil.which("sysbench"):
        walls["sysbench mutex 4 threads, 1 mutex"] = ["sysbench", "mutex", "--threads=4", "--mutex-num=1",
                                                      "--mutex-locks=5000000", "--mutex-loops=0", "run"]
    if os.path.exists(f"{bin_dir}/graph_cache"):
        walls["example graph_cache"] = [f"{bin_dir}/graph_cache"]
    samples = {}

    def add(name, side, value):
        samples.setdefault(name, {}).setdefault(side, []).append(value)

    for _ in range(args.rounds):
        for side in ("before", "after"):
            for name, ns in gbench(f"{builds[side]}/bin/record_cost_bench",
                                   "BM_CaptureStack/16|BM_RecordedWait/0|BM_RecordedWait/16").items():
                # Builds from before the stack memo name the walked waits
                # without the memo argument.
                name = {"BM_RecordedWait/0/0": "BM_RecordedWait/0", "BM_RecordedWait/16/0": "BM_RecordedWait/16",
                        "BM_RecordedWait/16/1": "BM_RecordedWait/16, reused"}.get(name, name)
                add(name + " (ns)", side, ns)
        for side in ("plain", "before", "after"):
            env = plain if side == "plain" else preload(side)
            add("BM_MutexPair (ns)", side, gbench(f"{bin_dir}/lock_bench", "BM_MutexPair$", env)["BM_MutexPair"])
            for name, cmd in walls.items():
                add(name + " (s)", side, wall(cmd, env))
        for f in os.listdir(work):
            os.remove(os.path.join(work, f))
    shutil.rmtree(work, ignore_errors=True)

    print(f"{'case':<44} {'plain':>9} {'before':>9} {'after':>9} {'before/plain':>12} {'after/plain':>11} "
          f"{'after/before':>12}")
    for name, by_side in samples.items():
        med = {side: statistics.median(v) for side, v in by_side.items()}
        cells = [f"{med[s]:9.4g}" if s in med else f"{'':9}" for s in ("plain", "before", "after")]
        # A case only one build has (a benchmark added since) has no ratio.
        ratios = [f"{med[s] / med['plain']:.2f}x" if "plain" in med and s in med else "" for s in ("before", "after")]
        change = f"{med['after'] / med['before']:.2f}x" if "before" in med and "after" in med else ""
        print(f"{name:<44} {' '.join(cells)} {ratios[0]:>12} {ratios[1]:>11} {change:>12}")


if __name__ == "__main__":
    main()
