#!/usr/bin/env python3
"""contend's cost, measured side by side: every case runs plain and under
libcontend.so, alternating, several pairs; the table shows medians and the
ratio of the medians. Prints the table; --json writes the raw numbers.

  bench/run_bench.py [--build build] [--pairs 5] [--json results.json]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile


def run_json(cmd, env=None, cwd=None):
    full = dict(os.environ)
    full.pop("LD_PRELOAD", None)
    full.update(env or {})
    out = subprocess.run(cmd, env=full, cwd=cwd, capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{out.stderr[-2000:]}")
    return json.loads(out.stdout)


def bench_times(doc):
    """name -> ns per iteration (real time for threaded cases)."""
    times = {}
    for b in doc["benchmarks"]:
        if b.get("run_type") == "aggregate":
            continue
        scale = {"ns": 1, "us": 1e3, "ms": 1e6}[b["time_unit"]]
        times[b["name"]] = b["real_time"] * scale
    return times


class Table:
    def __init__(self):
        self.rows = []

    def add(self, what, plain, profiled, unit="ns", note=""):
        self.rows.append((what, plain, profiled, unit, note))

    def print(self):
        width = max(len(r[0]) for r in self.rows)
        print(f"{'case':<{width}} {'plain':>10} {'contend':>10} {'ratio':>7}  unit")
        for what, plain, prof, unit, note in self.rows:
            ratio = f"{prof / plain:6.2f}x" if plain else "      -"
            shown = (lambda v: f"{v:10.1f}") if unit == "ns" else (lambda v: f"{v:10.3f}")
            print(f"{what:<{width}} {shown(plain) if plain else '         -'} {shown(prof)} {ratio}  {unit} {note}")


def micro(args, table, results):
    lock_bench = os.path.abspath(os.path.join(args.build, "bin", "lock_bench"))
    lib = os.path.abspath(os.path.join(args.build, "lib", "libcontend.so"))
    work = tempfile.mkdtemp(prefix="contend-bench-")
    variants = {
        "plain": {},
        "contend": {"LD_PRELOAD": lib, "CONTEND_OUTPUT": os.path.join(work, "t.%p")},
    }
    modes = [("", []), (" (2 threads alive)", ["--idle-thread"])]
    samples = {}
    for label, extra in modes:
        for pair in range(args.pairs):
            for variant, env in variants.items():
                doc = run_json([lock_bench, "--benchmark_format=json", f"--benchmark_min_time={args.min_time}",
                                *extra], env=env, cwd=work)
                for name, ns in bench_times(doc).items():
                    samples.setdefault((name + label, variant), []).append(ns)
    names = sorted({n for n, _ in samples}, key=lambda n: (("2 threads" in n), n))
    for name in names:
        plain = statistics.median(samples[(name, "plain")])
        prof = statistics.median(samples[(name, "contend")])
        table.add(name.replace("/real_time", ""), plain, prof)
        results[name] = {"plain_ns": samples[(name, "plain")], "contend_ns": samples[(name, "contend")]}


def hold_cost(args, table, results):
    """The uncontended pair with holds timed: none, the default, every one."""
    lock_bench = os.path.abspath(os.path.join(args.build, "bin", "lock_bench"))
    lib = os.path.abspath(os.path.join(args.build, "lib", "libcontend.so"))
    work = tempfile.mkdtemp(prefix="contend-bench-")
    cases = [("holds off", {"CONTEND_HOLD_SAMPLE": "0"}), ("holds 1 in 16 (default)", {}),
             ("holds every acquisition", {"CONTEND_HOLD_SAMPLE": "1", "CONTEND_HOLD_RATE": "100000000"})]
    samples = {}
    for pair in range(args.pairs):
        doc = run_json([lock_bench, "--benchmark_format=json", f"--benchmark_min_time={args.min_time}",
                        "--benchmark_filter=BM_MutexPair$", "--idle-thread"], cwd=work)
        samples.setdefault("plain", []).append(bench_times(doc)["BM_MutexPair"])
        for label, env in cases:
            e = {"LD_PRELOAD": lib, "CONTEND_OUTPUT": os.path.join(work, "t.%p"), **env}
            doc = run_json([lock_bench, "--benchmark_format=json", f"--benchmark_min_time={args.min_time}",
                            "--benchmark_filter=BM_MutexPair$", "--idle-thread"], env=e, cwd=work)
            samples.setdefault(label, []).append(bench_times(doc)["BM_MutexPair"])
    plain = statistics.median(samples["plain"])
    for label, _ in cases:
        table.add(f"mutex pair (2 threads alive), {label}", plain, statistics.median(samples[label]))
    results["hold_cost"] = samples


def record_cost(args, table, results):
    """In-process costs of the recorder itself (no plain counterpart)."""
    bench = os.path.abspath(os.path.join(args.build, "bin", "record_cost_bench"))
    doc = run_json([bench, "--benchmark_format=json", f"--benchmark_min_time={args.min_time}"])
    times = bench_times(doc)
    for name, ns in sorted(times.items()):
        label = {"BM_CaptureStack/0": "stack capture, caller only",
                 "BM_CaptureStack/4": "stack capture, 4 frames",
                 "BM_CaptureStack/16": "stack capture, 16 frames (default)",
                 "BM_CaptureStack/32": "stack capture, 32 frames",
                 "BM_RecordedWait/0": "one recorded wait, no stack",
                 "BM_RecordedWait/16": "one recorded wait, 16-frame stack"}.get(name, name)
        table.add(label, 0, ns, note="(cost, not a ratio)")
    results["record_cost"] = times


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default="build")
    p.add_argument("--pairs", type=int, default=5)
    p.add_argument("--min-time", default="0.2")
    p.add_argument("--json")
    args = p.parse_args()
    table = Table()
    results = {}
    micro(args, table, results)
    hold_cost(args, table, results)
    record_cost(args, table, results)
    table.print()
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
