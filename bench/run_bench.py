#!/usr/bin/env python3
"""contend's cost, measured side by side: every case runs plain and under
libcontend.so, alternating, several pairs; the table shows medians and the
ratio of the medians. Also: the recorder's own costs, the sustained rate of
recorded waits, the analyzer's speed, memory per thread, a real program
(sysbench), and the same micro-benchmarks under Valgrind's DRD for
reference. Prints the table; --json writes the raw numbers.

  bench/run_bench.py [--build build] [--pairs 5] [--json results.json] [--quick]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from timed_run import run_timed


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
        print(f"{'case':<{width}} {'plain':>12} {'contend':>12} {'ratio':>7}  unit")
        for what, plain, prof, unit, note in self.rows:
            ratio = f"{prof / plain:6.2f}x" if plain else "      -"
            shown = (lambda v: f"{v:12.1f}") if unit in ("ns", "KiB") else (
                (lambda v: f"{v:12.3f}") if unit == "s" else (lambda v: f"{v:12,.0f}"))
            print(f"{what:<{width}} {shown(plain) if plain else '           -'} {shown(prof)} {ratio}  {unit} {note}")


def paths(args):
    build = os.path.abspath(args.build)
    return os.path.join(build, "bin"), os.path.join(build, "lib", "libcontend.so")


def report_summary(args, trace):
    bin_dir, _ = paths(args)
    return run_json([os.path.join(bin_dir, "contend-report"), "--no-symbols", "-f", "json", trace])["summary"]


def storm(args, table, results):
    """Recorded waits per second the default ring and drain absorb: two
    threads handing a spinlock back and forth, each handoff a recorded wait,
    paced by the hold; the trace says what was recorded and what dropped."""
    bin_dir, lib = paths(args)
    work = tempfile.mkdtemp(prefix="contend-bench-")
    trace = os.path.join(work, "storm.trace")
    results["storm"] = []
    for hold in [1000, 300, 0]:
        if os.path.exists(trace):
            os.remove(trace)
        subprocess.run([os.path.join(bin_dir, "wait_storm"), str(args.storm_seconds), str(hold)],
                       env={**os.environ, "LD_PRELOAD": lib, "CONTEND_OUTPUT": trace}, check=True,
                       capture_output=True, timeout=120)
        s = report_summary(args, trace)
        rate = s["contended"] / (s["wall_ns"] / 1e9)
        table.add(f"recorded waits per second, handoffs held {hold} ns", 0, rate, unit="waits/s",
                  note=f"dropped {s['dropped_events']}")
        results["storm"].append({"hold_ns": hold, "waits_per_s": rate,
                                 "dropped": s["dropped_events"], "trace_bytes": os.path.getsize(trace),
                                 "records": s["contended"]})
    last = results["storm"][-1]
    table.add("trace bytes per recorded wait (storm trace)", 0, last["trace_bytes"] / max(1, last["records"]),
              unit="bytes")
    shutil.rmtree(work, ignore_errors=True)


def analyzer(args, table, results):
    """contend-report's throughput on a synthetic trace (no symbols)."""
    bin_dir, _ = paths(args)
    work = tempfile.mkdtemp(prefix="contend-bench-")
    trace = os.path.join(work, "big.trace")
    out = subprocess.run([os.path.join(bin_dir, "make_trace"), trace, str(args.analyzer_events)],
                         capture_output=True, text=True, check=True, timeout=600)
    events = int(out.stdout.split()[0])
    size = os.path.getsize(trace)
    times = []
    for _ in range(3):
        start = time.monotonic()
        subprocess.run([os.path.join(bin_dir, "contend-report"), "--no-symbols", "-f", "json", trace],
                       stdout=subprocess.DEVNULL, check=True, timeout=600)
        times.append(time.monotonic() - start)
    seconds = statistics.median(times)
    table.add(f"analyzer events per second ({events:,} events)", 0, events / seconds, unit="events/s")
    table.add("synthetic trace bytes per event", 0, size / events, unit="bytes")
    results["analyzer"] = {"events": events, "bytes": size, "seconds": times}
    shutil.rmtree(work, ignore_errors=True)


def memory(args, table, results):
    """Resident memory per profiled thread, 1000 threads alive at once."""
    bin_dir, lib = paths(args)
    work = tempfile.mkdtemp(prefix="contend-bench-")
    n = 1000
    samples = {"plain": [], "contend": []}
    for _ in range(3):
        for variant in samples:
            env = dict(os.environ)
            env.pop("LD_PRELOAD", None)
            if variant == "contend":
                env.update({"LD_PRELOAD": lib, "CONTEND_OUTPUT": os.path.join(work, "t.%p")})
            out = subprocess.run([os.path.join(bin_dir, "idle_threads"), str(n)], env=env, cwd=work,
                                 capture_output=True, text=True, check=True, timeout=120)
            samples[variant].append(int(out.stdout.split()[3]))
    plain = statistics.median(samples["plain"])
    prof = statistics.median(samples["contend"])
    table.add(f"resident memory, {n} threads alive", plain, prof, unit="KiB")
    table.add("resident memory per profiled thread", 0, (prof - plain) / n, unit="KiB")
    results["memory"] = {"threads": n, **samples}
    shutil.rmtree(work, ignore_errors=True)


def wall_seconds(cmd, env):
    run = run_timed(cmd, env=env)
    if run.returncode != 0:
        sys.exit(f"failed ({run.returncode}): {' '.join(cmd)}")
    return run.wall


def sysbench(args, table, results):
    """A real program: sysbench's mutex test, whole-process wall time."""
    if shutil.which("sysbench") is None:
        table.add("sysbench mutex --threads=4 (not installed)", 0, 0, unit="s")
        return
    _, lib = paths(args)
    work = tempfile.mkdtemp(prefix="contend-bench-")
    base = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    cases = [("sysbench mutex --threads=4", ["sysbench", "mutex", "--threads=4", "run"]),
             ("sysbench mutex --threads=4, one mutex", ["sysbench", "mutex", "--threads=4", "--mutex-num=1",
                                                        "--mutex-locks=20000", "--mutex-loops=100", "run"])]
    for label, cmd in cases:
        samples = {"plain": [], "contend": []}
        for _ in range(max(5, args.pairs)):
            samples["plain"].append(wall_seconds(cmd, base))
            samples["contend"].append(wall_seconds(cmd, {**base, "LD_PRELOAD": lib,
                                                         "CONTEND_OUTPUT": os.path.join(work, "t.%p")}))
            for f in os.listdir(work):
                os.remove(os.path.join(work, f))
        table.add(f"{label}, wall time", statistics.median(samples["plain"]), statistics.median(samples["contend"]),
                  unit="s")
        results[label] = samples
    shutil.rmtree(work, ignore_errors=True)


def drd(args, table, results):
    """The micro-benchmarks under valgrind --tool=drd, for reference (one run)."""
    if shutil.which("valgrind") is None:
        return
    bin_dir, _ = paths(args)
    lock_bench = os.path.join(bin_dir, "lock_bench")
    plain = bench_times(run_json([lock_bench, "--benchmark_format=json", "--benchmark_min_time=0.05"]))
    out = subprocess.run(["valgrind", "--tool=drd", "--quiet", lock_bench, "--benchmark_format=json",
                          "--benchmark_min_time=0.01"], capture_output=True, text=True, timeout=600)
    under = bench_times(json.loads(out.stdout))
    for name in sorted(under):
        table.add(f"{name.replace('/real_time', '')} under valgrind --tool=drd", plain[name], under[name])
    results["drd"] = {"plain": plain, "drd": under}


def micro(args, table, results):
    bin_dir, lib = paths(args)
    lock_bench = os.path.join(bin_dir, "lock_bench")
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
    bin_dir, lib = paths(args)
    lock_bench = os.path.join(bin_dir, "lock_bench")
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
    bench = os.path.join(paths(args)[0], "record_cost_bench")
    doc = run_json([bench, "--benchmark_format=json", f"--benchmark_min_time={args.min_time}"])
    times = bench_times(doc)
    for name, ns in sorted(times.items()):
        label = {"BM_CaptureStack/0": "stack capture, caller only",
                 "BM_CaptureStack/4": "stack capture, 4 frames",
                 "BM_CaptureStack/16": "stack capture, 16 frames (default)",
                 "BM_CaptureStack/32": "stack capture, 32 frames",
                 "BM_RecordedWait/0/0": "one recorded wait, no stack",
                 "BM_RecordedWait/16/0": "one recorded wait, 16-frame stack walked",
                 "BM_RecordedWait/16/1": "one recorded wait, 16-frame stack reused"}.get(name, name)
        table.add(label, 0, ns, note="(cost, not a ratio)")
    results["record_cost"] = times


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default="build")
    p.add_argument("--pairs", type=int, default=5)
    p.add_argument("--min-time", default="0.2")
    p.add_argument("--json")
    p.add_argument("--quick", action="store_true", help="fewer pairs and smaller cases (a smoke run)")
    args = p.parse_args()
    args.storm_seconds = 1 if args.quick else 3
    args.analyzer_events = 2000000 if args.quick else 50000000
    if args.quick:
        args.pairs = min(args.pairs, 2)
        args.min_time = "0.05"
    table = Table()
    results = {}
    micro(args, table, results)
    hold_cost(args, table, results)
    record_cost(args, table, results)
    storm(args, table, results)
    analyzer(args, table, results)
    memory(args, table, results)
    sysbench(args, table, results)
    drd(args, table, results)
    table.print()
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
