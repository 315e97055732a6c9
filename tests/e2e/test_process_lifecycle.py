"""Process lifecycle hazards where the recorder must not change what the
program does, or lose or double what it recorded: main's pthread_exit while
a worker runs, namespace calls once every thread is joined, SIGTERM blocked
in every thread and taken by sigtimedwait, fork while another thread loads
plugins, blame pending at fork and at exec, and the counts a SIGKILLed
trace keeps."""

import os
import re
import signal
import subprocess
import time

from contend_e2e import Env, find_lock

env = Env()


def run_bounded(argv, what, timeout=30, **kwargs):
    """Runs argv; a run that does not end within `timeout` is a failure."""
    try:
        return env.run(argv, timeout=timeout, **kwargs)
    except subprocess.TimeoutExpired:
        env.check(False, f"{what}: the process ends (still running after {timeout} s)")
        return None


def counts(lock):
    return (lock["acquisitions"], lock["contended"]) if lock else None


def holder_releases(lock):
    return sum(s["count"] for s in lock["holder_sites"]) if lock else None


# 1. main calls pthread_exit while a worker runs: the process ends with the
# worker (glibc's exit(0) after the last thread), nothing of ours keeps it.
run = run_bounded([env.program("main_thread_exit")], "main pthread_exit")
if run is not None:
    env.check_eq(run.returncode, 0, "main pthread_exit: exit status")
    env.check(run.stdout.startswith("worker done"), f"main pthread_exit: the worker's output ({run.stdout!r})")
    address = dict(zip(["main", "worker"], run.stdout.split()[3::2]))
    report = env.report_json(env.traces())
    if report and len(address) == 2:
        env.check(report["processes"][0]["complete"], "main pthread_exit: the trace has its footer")
        env.check_eq(counts(find_lock(report, address["main"])), (4, 2), "main pthread_exit: main's lock")
        env.check_eq(counts(find_lock(report, address["worker"])), (4, 2), "main pthread_exit: the worker's lock")

# 1. Calls only a single-threaded process may make, after every thread is
# joined: the same results as without the profiler. Our drain, stopped for
# the call, must also be gone from the kernel: a call right after its join
# failed in 10 of 40 runs. Eight runs here.
env.clean_traces()
program = env.program("namespace_after_join")
plain = run_bounded([program], "namespaces (plain)", preload=False)
for attempt in range(8):
    env.clean_traces()
    run = run_bounded([program], "namespaces")
    if plain is None or run is None or (run.returncode, run.stdout.splitlines()[:2]) != (
            plain.returncode, plain.stdout.splitlines()[:2]):
        break
if plain is not None and run is not None:
    print(f"without the profiler: {plain.stdout.splitlines()[:2]}")
    env.check_eq((run.returncode, run.stdout.splitlines()[:2]), (plain.returncode, plain.stdout.splitlines()[:2]),
                 f"namespaces: setns and unshare answer as without the profiler (run {attempt + 1} of 8)")
    report = env.report_json(env.traces())
    if report:
        env.check(report["processes"][0]["complete"], "namespaces: the trace has its footer")
        env.check_eq(counts(find_lock(report, run.stdout.split("lock ")[-1].strip())), (4, 2),
                     "namespaces: exact counts")

# 2. SIGTERM blocked in every program thread: sigtimedwait takes it; no
# thread of ours may take it instead (which kills the process).
env.clean_traces()
run = run_bounded([env.program("signal_wait")], "blocked SIGTERM")
if run is not None:
    env.check_eq((run.returncode, run.stdout.strip()), (0, "sigtimedwait 15"), "blocked SIGTERM: sigtimedwait gets it")

# 3. fork while another thread loads and unloads a plugin: every child ends
# (the child's handler only resets state; no scan of the loader's list in
# a child whose loader lock a vanished thread holds), each with its trace.
env.clean_traces()
CHILDREN = 200
plugin = env.program("libplugin_locks.so")
run = run_bounded([env.program("fork_dlopen"), plugin, str(CHILDREN)], "fork during dlopen", timeout=280)
if run is not None:
    env.check_eq(run.returncode, 0, "fork during dlopen: exit status")
    env.check(f"children {CHILDREN} hung 0 failed 0" in run.stdout, f"fork during dlopen: {run.stdout.strip()}")
    traces = env.traces()
    env.check_eq(len(traces), CHILDREN + 1, "fork during dlopen: one trace per process")
    # The parent's own trace (trace.bin, the first claimed) holds a MODULE
    # record per load and unload: only the children's are read here.
    children = [t for t in traces if os.path.basename(t) != "trace.bin"]
    report = env.report_json(children, "--top", str(CHILDREN))
    if report:
        address = run.stdout.split("lock ")[-1].strip()
        env.check_eq(len(report["processes"]), CHILDREN, "fork during dlopen: every child's trace reads")
        env.check_eq(sum(1 for p in report["processes"] if p["complete"]), CHILDREN,
                     "fork during dlopen: every child's trace complete")
        child_counts = {l["pid"]: counts(l) for l in report["locks"] if l["address"] == address}
        env.check_eq(sum(1 for p in report["processes"] if child_counts.get(p["pid"]) == (1, 0)), CHILDREN,
                     "fork during dlopen: each child took the lock once")

# 4. Blame pending on the forking thread stays the parent's: counted once
# in the family's traces.
env.clean_traces()
run = run_bounded([env.program("fork_blame")], "blame at fork")
if run is not None:
    env.check_eq(run.returncode, 0, "blame at fork: exit status")
    child_pid = int(run.stdout.split()[1])
    address = run.stdout.split("lock ")[-1].strip()
    report = env.report_json(env.traces())
    if report:
        rows = {l["pid"]: l for l in report["locks"] if l["address"] == address}
        parent = next((l for pid, l in rows.items() if pid != child_pid), None)
        child = rows.get(child_pid)
        env.check_eq(counts(parent), (2, 1), "blame at fork: the parent's counts")
        env.check_eq(holder_releases(parent), 1, "blame at fork: the parent's one release with a waiter")
        env.check_eq(counts(child), (1, 0), "blame at fork: the child's own acquisition")
        env.check_eq((holder_releases(child), child["caused_ns"] if child else None), (0, 0),
                     "blame at fork: no blame in the child's trace")
        env.check_eq(sum(holder_releases(l) for l in rows.values()), 1, "blame at fork: the family counts it once")

# 5. Blame pending at exec, on the thread that execs and on another one, is
# in the trace written before the exec.
env.clean_traces()
run = run_bounded([env.program("exec_blame"), "/bin/true"], "blame at exec")
if run is not None:
    env.check_eq(run.returncode, 0, "blame at exec: exit status")
    address = dict(zip(["a", "b"], run.stdout.split()[1::2]))
    reports = [env.report_json([t]) for t in env.traces()]
    before = next((r for r in reports if r and r["processes"][0]["exe"].endswith("/exec_blame")), None)
    if env.check(before is not None and len(address) == 2, "blame at exec: the trace before exec"):
        for name, who in [("a", "the exec'ing thread"), ("b", "another thread")]:
            lock = find_lock(before, address[name])
            env.check_eq(counts(lock), (2, 1), f"blame at exec: lock {name} counts")
            env.check_eq(holder_releases(lock), 1, f"blame at exec: the release pending on {who}")
            env.check(lock is not None and lock["caused_ns"] >= 5_000_000,
                      f"blame at exec: the wait it caused (~10 ms): {lock and lock['caused_ns']}")


# 6. SIGKILL: the trace keeps the counts up to its last flush period.
def killed_run(seconds, extra_env=None):
    """Runs killed_progress, kills it after `seconds`; returns (lock address,
    last progress printed, seconds run, report, table)."""
    env.clean_traces()
    full_env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    full_env.update({"LD_PRELOAD": env.lib, "CONTEND_OUTPUT": os.path.join(env.workdir, "trace.bin")})
    full_env.update(extra_env or {})
    proc = subprocess.Popen([env.program("killed_progress")], env=full_env, cwd=env.workdir,
                            stdout=subprocess.PIPE, text=True)
    address = proc.stdout.readline().split()[-1]
    start = time.monotonic()
    progress = 0
    while time.monotonic() - start < seconds:
        progress = int(proc.stdout.readline().split()[1])
    elapsed = time.monotonic() - start
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    report = env.report_json(env.traces())
    table = subprocess.run([env.report, *env.traces()], capture_output=True, text=True, timeout=60).stdout
    return address, progress, elapsed, report, table


address, progress, elapsed, report, table = killed_run(1.0)
lock = find_lock(report, address) if report else None
if env.check(lock is not None, "SIGKILL: the lock is in the killed trace"):
    # The last progress line is at most 50 ms old at the kill, the counts at
    # most a flush period (20 ms) plus the drain's wait for a CPU: within
    # 200 ms of acquisitions either way.
    rate = progress / elapsed
    bound = rate * 0.2
    print(f"SIGKILL: printed {progress}, trace {lock['acquisitions']} acquisitions "
          f"({lock['contended']} contended), bound +-{bound:.0f}")
    env.check(abs(lock["acquisitions"] - progress) <= bound,
              f"SIGKILL: acquisitions {lock['acquisitions']} within {bound:.0f} of the {progress} printed")
    env.check(lock["contended"] < lock["acquisitions"], "SIGKILL: not every acquisition claimed contended")
    env.check("(100.0%)" not in table, "SIGKILL: the summary claims no 100% contention")

# Killed before the first count snapshot (a flush period of 1 s; a small
# ring, so that full rings get the waits written before): waits but no
# counts. The report must not make every acquisition a contended one.
address, progress, elapsed, report, table = killed_run(0.5, {"CONTEND_FLUSH_MS": "1000", "CONTEND_RING_KB": "32"})
lock = find_lock(report, address) if report else None
if env.check(lock is not None and lock["wait_ns"]["count"] > 0, "SIGKILL before counts: waits recorded"):
    env.check(lock["acquisitions"] == 0 or lock["contended"] < lock["acquisitions"],
              f"SIGKILL before counts: no false 100% ({lock['contended']} of {lock['acquisitions']})")
    env.check(re.search(r"\(100\.0%\)", table) is None, "SIGKILL before counts: the summary claims no 100%")
env.finish()
