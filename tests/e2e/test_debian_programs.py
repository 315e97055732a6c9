"""Real programs from Debian's packages, with and without libcontend.so:
same exit code and same output; their traces read cleanly and show the
contention that is there."""

import os
import random
import re

from contend_e2e import Env

env = Env()


def normalized(text):
    # sysbench prints timings: compare the shape, not the numbers.
    return [re.sub(r"\s+", " ", re.sub(r"[0-9]+(\.[0-9]+)?", "#", line)).strip() for line in text.splitlines()]


def compare(name, argv, exact=True, stdin_path=None, min_contended=0, kinds=()):
    env.clean_traces()
    stdin = open(stdin_path, "rb") if stdin_path else None
    binary = stdin is not None
    plain = env.run(argv, preload=False, stdin=stdin, binary=binary)
    if stdin:
        stdin.seek(0)
    profiled = env.run(argv, stdin=stdin, binary=binary)
    env.check_eq(profiled.returncode, plain.returncode, f"{name}: same exit code")
    if exact:
        env.check(profiled.stdout == plain.stdout, f"{name}: identical output ({len(plain.stdout)} characters)")
    else:
        env.check_eq(normalized(profiled.stdout), normalized(plain.stdout), f"{name}: same output, timings aside")
    traces = env.traces()
    env.check(len(traces) >= 1, f"{name}: trace written")
    report = env.report_json(traces, "--top", "1000")
    if report:
        env.check_eq(report["summary"]["incomplete_traces"], 0, f"{name}: traces complete")
        env.check_eq(report["summary"]["dropped_events"], 0, f"{name}: nothing dropped")
        env.check(report["summary"]["contended"] >= min_contended,
                  f"{name}: contention shown ({report['summary']['contended']} >= {min_contended})")
        seen = {l["kind"] for l in report["locks"] + report["cond_waits"]}
        for kind in kinds:
            env.check(kind in seen, f"{name}: {kind} waits seen")
    return report


compare("sysbench mutex", ["sysbench", "mutex", "--threads=4", "run"], exact=False)
report = compare("sysbench threads", ["sysbench", "threads", "--threads=4", "--thread-locks=2", "--time=2", "run"],
                 exact=False, min_contended=1000)
if report:
    top = report["locks"][0]
    env.check(top["contention_rate"] > 0.05, f"sysbench threads: its 2 locks are hot ({top['contention_rate']:.2f})")

compare("python3 threads", ["/usr/bin/python3", os.path.join(os.path.dirname(__file__), "python_threads.py")],
        kinds=("semaphore",))

data = os.path.join(env.workdir, "input.txt")
rng = random.Random(42)
words = ["lock", "wait", "mutex", "thread", "contend", "futex", "queue", "slab", "pool", "cache"]
with open(data, "w") as f:
    for _ in range(400000):
        f.write(" ".join(rng.choice(words) for _ in range(8)) + "\n")
compare("pigz", ["pigz", "-p", "4", "-c", "-n"], stdin_path=data, kinds=("condition",))
env.finish()
