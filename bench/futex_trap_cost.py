#!/usr/bin/env python3
"""What CONTEND_FUTEX=all costs (docs/FUTEX_WAITS.md): per call
(bench/futex_trap_bench.c) and whole programs, each run plain, under
libcontend.so (hooked functions only) and with CONTEND_FUTEX=all, alternating,
several times; the table shows medians and the ratios to plain.

  bench/futex_trap_cost.py [--build build] [--runs 5]
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
E2E = os.path.join(HERE, "..", "tests", "e2e")


def environment(lib, mode, workdir):
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "CONTEND_FUTEX")}
    if mode != "plain":
        env["LD_PRELOAD"] = lib
        env["CONTEND_OUTPUT"] = os.path.join(workdir, "trace.bin")
    if mode == "all":
        env["CONTEND_FUTEX"] = "all"
    return env


def timed(argv, env, workdir, stdin_path=None):
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    start = time.monotonic()
    out = subprocess.run(argv, env=env, cwd=workdir, stdin=stdin, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, timeout=600)
    elapsed = time.monotonic() - start
    if out.returncode != 0:
        sys.exit(f"failed ({out.returncode}): {' '.join(argv)}\n{out.stderr.decode()[-2000:]}")
    for name in os.listdir(workdir):
        if name.startswith("trace.bin"):
            os.remove(os.path.join(workdir, name))
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    build = os.path.abspath(args.build)
    lib = os.path.join(build, "lib", "libcontend.so")
    modes = ("plain", "hooked", "all")
    workdir = tempfile.mkdtemp(prefix="contend-futex-cost-")

    # Per call.
    bench = os.path.join(build, "bin", "futex_trap_bench")
    samples = {m: [] for m in modes}
    for _ in range(args.runs):
        for m in modes:
            out = subprocess.run([bench], env=environment(lib, m, workdir), cwd=workdir, capture_output=True,
                                 text=True, timeout=600, check=True)
            samples[m].append(json.loads(out.stdout))
    print(f"{'per call (ns)':<34} {'plain':>10} {'hooked':>10} {'all':>10}")
    for key in samples["plain"][0]:
        med = [statistics.median(s[key] for s in samples[m]) for m in modes]
        print(f"{key:<34} {med[0]:10.0f} {med[1]:10.0f} {med[2]:10.0f}")

    # Whole programs.
    data = os.path.join(workdir, "input.txt")
    rng = random.Random(42)
    words = ["lock", "wait", "mutex", "thread", "contend", "futex", "queue", "slab", "pool", "cache"]
    with open(data, "w") as f:
        for _ in range(400000):
            f.write(" ".join(rng.choice(words) for _ in range(8)) + "\n")
    make_dir = os.path.join(workdir, "make")
    os.makedirs(make_dir)
    programs = [
        ("xz -T2", ["xz", "-T2", "-1", "--block-size=262144", "-c"], data),
        ("zstd -T2", ["zstd", "-T2", "-q", "-c"], data),
        ("pigz -p 4", ["pigz", "-p", "4", "-c", "-n"], data),
        ("ImageMagick blur (OpenMP)", ["/usr/bin/convert-im6.q16", "-size", "1200x1200", "xc:gray50", "-blur", "0x5",
                                       "-resize", "60%", "ppm:-"], None),
        ("python3 threads", ["/usr/bin/python3", os.path.join(E2E, "python_threads.py")], None),
        ("sysbench threads", ["sysbench", "threads", "--threads=4", "--thread-locks=2", "--events=4000",
                              "--time=0", "run"], None),
        ("make -j4 (fork, exec)", ["make", "-s", "-B", "-j4", "-C", make_dir, "-f",
                                   os.path.join(E2E, "Makefile.fork_exec")], None),
        ("alloc_pressure (glibc malloc)", [os.path.join(build, "bin", "alloc_pressure")], None),
    ]
    print(f"\n{'whole program (s, median)':<34} {'plain':>10} {'hooked':>10} {'all':>10} {'all/plain':>10}")
    for name, argv, stdin_path in programs:
        if shutil.which(argv[0]) is None and not os.path.exists(argv[0]):
            print(f"{name:<34} (not installed)")
            continue
        times = {m: [] for m in modes}
        for _ in range(args.runs):
            for m in modes:
                times[m].append(timed(argv, environment(lib, m, workdir), workdir, stdin_path))
        med = [statistics.median(times[m]) for m in modes]
        print(f"{name:<34} {med[0]:10.3f} {med[1]:10.3f} {med[2]:10.3f} {med[2] / med[0]:9.2f}x")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
