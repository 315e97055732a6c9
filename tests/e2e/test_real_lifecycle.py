"""Hazards found by running real programs under the profiler, each reduced
to a small deterministic program: the program must do exactly what it does
without us (same output, same exit status), and its trace must read."""

import subprocess

from contend_e2e import Env

env = Env()


def same_as_plain(argv, what, extra_env=None):
    """Runs argv without and with the profiler; checks stdout and exit status
    are the same, and that the traces read. Returns the profiled run."""
    try:
        plain = env.run(argv, preload=False, timeout=60)
        env.clean_traces()
        run = env.run(argv, env=extra_env, timeout=60)
    except subprocess.TimeoutExpired:
        env.check(False, f"{what}: the process ends within 60 s")
        return None
    print(f"without the profiler: {plain.stdout.strip()!r}")
    env.check_eq((run.returncode, run.stdout), (plain.returncode, plain.stdout), f"{what}: output and exit status")
    traces = env.traces()
    env.check(len(traces) == 1, f"{what}: one trace ({traces})")
    if traces:
        env.report_json(traces)
    return run


# 1. closefrom(3) (and a close loop) at start, then a pipe of the program's
# own: libunwind's address-check pipe was on those numbers, and a walk read
# the program's data from it and wrote bytes of memory into it.
for mode in ("closefrom", "loop"):
    for futex in ("", "all"):
        extra = {"CONTEND_FUTEX": futex} if futex else None
        run = same_as_plain([env.program("closefrom_reuse"), mode], f"{mode} then a pipe (CONTEND_FUTEX={futex})", extra)

env.finish()
