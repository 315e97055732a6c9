"""Faults the profiled program or its surroundings inflict, each with the
program unaffected and the data recorded so far kept: SIGKILL mid-run (and
how much it loses), a full file system, the file size limit, 1000 threads
alive at once, 64 threads on one lock, a thread that exits holding locks.
(Symlinks and unwritable paths: test_output_safety.py; a signal handler
that locks inside our hook: test_threads.py.)"""

import os
import re
import resource
import signal
import subprocess
import time

from contend_e2e import Env

env = Env()


def loss_window_ms(trace, killed_at_ns):
    """Milliseconds between the end of the last recorded wait and the kill,
    both on CLOCK_MONOTONIC (the dump's CLOCK_SYNC maps trace time to it)."""
    dump = subprocess.run([env.report, "--dump", trace], capture_output=True, text=True, timeout=60).stdout
    sync = re.search(r"CLOCK_SYNC\s+([0-9.]+) ticks=\d+ monotonic_ns=(\d+)", dump)
    ends = [float(m.group(1)) * 1e9 + int(m.group(2))
            for m in re.finditer(r" WAIT\s+([0-9.]+) .*? wait_ns=(\d+)", dump)]
    if sync is None or not ends:
        return None
    base = int(sync.group(2)) - float(sync.group(1)) * 1e9
    return (killed_at_ns - (base + max(ends))) / 1e6


# SIGKILL mid-run: the trace reads cleanly, says it is unfinished, and loses
# at most the last flush period (CONTEND_FLUSH_MS, 20 ms) and a pass.
windows = []
for attempt in range(3):
    env.clean_traces()
    full_env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    full_env.update({"LD_PRELOAD": env.lib, "CONTEND_OUTPUT": os.path.join(env.workdir, "trace.bin")})
    proc = subprocess.Popen([env.program("steady_handoff")], env=full_env, cwd=env.workdir, stdout=subprocess.PIPE,
                            text=True)
    env.check_eq(proc.stdout.readline().strip(), "ready", "SIGKILL: the program runs")
    time.sleep(0.5 + 0.1 * attempt)
    killed_at = time.monotonic_ns()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    traces = env.traces()
    report = subprocess.run([env.report, "-f", "json", *traces], capture_output=True, text=True, timeout=60)
    env.check_eq(report.returncode, 0, "SIGKILL: the trace reads")
    env.check("no footer: the trace was not finished" in report.stderr, "SIGKILL: the report says it is unfinished")
    window = loss_window_ms(traces[0], killed_at)
    env.check(window is not None, "SIGKILL: waits were recorded")
    windows.append(window if window is not None else 1e9)
# The window is the flush period plus however long the drain thread waits
# for a CPU: the median of three kills must stay under 100 ms, and none may
# come near the 500 ms a stalled drain would lose.
print(f"loss windows (ms): {', '.join(f'{w:.1f}' for w in windows)}")
median = sorted(windows)[1]
env.check(median < 100, f"SIGKILL: at most 100 ms of events lost (median {median:.1f} ms)")
env.check(max(windows) < 500, f"SIGKILL: no kill loses half a second (worst {max(windows):.1f} ms)")

# A full file system: the writes fail with ENOSPC (enospc_shim.so, preloaded
# first); the program is unaffected, one warning, the trace ends on a record.
prog = env.program("ring_overflow")
plain = env.run([prog, "3000"], preload=False)
env.clean_traces()
shim = os.path.join(env.bin, "enospc_shim.so")
refusals = os.path.join(env.workdir, "refusals")
run = env.run([prog, "3000"], env={"LD_PRELOAD": f"{shim}:{env.lib}", "CONTEND_TEST_FS_BYTES": "20000",
                                   "CONTEND_TEST_FS_REPORT": refusals})
def rounds(out):
    return out.split(" lock")[0]  # the lock's address changes with ASLR


env.check_eq((run.returncode, rounds(run.stdout)), (plain.returncode, rounds(plain.stdout)),
             "disk full: program unaffected")
env.check_eq(run.stderr.count("\n"), 1, f"disk full: one warning: {run.stderr!r}")
env.check("No space left on device" in run.stderr, "disk full: says why")
report = env.report_json(env.traces())
if report:
    env.check_eq(report["processes"][0]["truncated"], False, "disk full: the trace ends on a record boundary")
    env.check(report["summary"]["contended"] > 0, "disk full: what was written reports")
env.check_eq(open(refusals).read().strip() if os.path.exists(refusals) else "none", "1",
             "disk full: the writer gives up at the first ENOSPC")

# The file size limit: never crossed (no SIGXFSZ), one warning, clean end.
env.clean_traces()
limit = 64 * 1024


def limit_file_size():
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


full_env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
full_env.update({"LD_PRELOAD": env.lib, "CONTEND_OUTPUT": os.path.join(env.workdir, "trace.bin")})
run = subprocess.run([prog, "3000"], env=full_env, cwd=env.workdir, capture_output=True, text=True, timeout=120,
                     preexec_fn=limit_file_size)
env.check_eq((run.returncode, rounds(run.stdout)), (plain.returncode, rounds(plain.stdout)),
             "size limit: program unaffected")
# (Crossing the limit would have raised SIGXFSZ: the exit code shows it never was.)
env.check_eq(run.stderr.count("\n"), 1, f"size limit: one warning: {run.stderr!r}")
report = env.report_json(env.traces())
if report:
    env.check_eq(report["processes"][0]["truncated"], False, "size limit: the trace ends on a record boundary")


def many(threads, iterations, what):
    env.clean_traces()
    argv = [env.program("many_threads"), str(threads), str(iterations)]
    plain = env.run(argv, preload=False)
    run = env.run(argv)
    env.check_eq(run.returncode, 0, f"{what}: exit code")
    env.check_eq(run.stdout.split(" lock")[0], plain.stdout.split(" lock")[0], f"{what}: same output")
    report = env.report_json(env.traces())
    if not report:
        return None
    address = run.stdout.split("lock ")[1].strip()
    lock = next((l for l in report["locks"] if l["address"] == address), None)
    env.check(lock is not None and lock["acquisitions"] == threads * iterations,
              f"{what}: every acquisition counted ({lock and lock['acquisitions']} of {threads * iterations})")
    env.check_eq(report["summary"]["threads"], threads + 1, f"{what}: every thread profiled")
    env.check_eq(report["summary"]["threads_unprofiled"], 0, f"{what}: none refused")
    env.check_eq(report["summary"]["dropped_events"], 0, f"{what}: nothing dropped")
    return lock


many(1000, 50, "1000 threads alive")
lock = many(64, 2000, "64 threads on one lock")
if lock:
    env.check(lock["contended"] > 0, f"64 threads on one lock: contention shown ({lock['contended']})")
    env.check_eq(lock["wait_ns"]["count"], lock["contended"], "64 threads on one lock: a wait per contended one")

# A thread that exits holding a robust mutex and a read lock, with every
# hold timed: the program sees exactly what it sees unprofiled.
env.clean_traces()
plain = env.run([env.program("exit_holding")], preload=False)
run = env.run([env.program("exit_holding")], env={"CONTEND_HOLD_SAMPLE": "1", "CONTEND_HOLD_RATE": "100000000"})
env.check("main: lock robust EOWNERDEAD" in plain.stdout and "timedwrlock ETIMEDOUT" in plain.stdout,
          f"exit holding: the plain run shows the owner died ({plain.stdout!r})")
env.check_eq((run.returncode, run.stdout, run.stderr), (plain.returncode, plain.stdout, plain.stderr),
             "exit holding: identical under the profiler")
report = env.report_json(env.traces())
if report:
    env.check_eq(report["summary"]["incomplete_traces"], 0, "exit holding: trace complete")
env.finish()
