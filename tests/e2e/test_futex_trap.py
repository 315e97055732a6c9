"""CONTEND_FUTEX=all: futex waits inside glibc and libgomp are recorded, each
exactly once, and the program behaves exactly as without the profiler:
blocked signals, its own SIGSYS handler and seccomp filter, exec of programs
that do not load the profiler, cancellation. docs/FUTEX_WAITS.md."""

import os
import re
import subprocess

from contend_e2e import Env, find_lock

env = Env()
ALL = {"CONTEND_FUTEX": "all"}
MS = 1000 * 1000


def normalized(text, ordered):
    # Addresses differ from run to run (and threads print in any order).
    lines = re.sub(r"0x[0-9a-f]+", "0x#", text).splitlines()
    return lines if ordered else sorted(lines)


def compare(name, argv, extra_env=None, mode=ALL, killed_children=0, ordered=True):
    """Runs argv plain and profiled; same exit status and output. Returns the
    profiled run and the report of its traces."""
    env.clean_traces()
    plain = env.run(argv, preload=False, env=extra_env)
    profiled = env.run(argv, env={**(extra_env or {}), **mode})
    env.check_eq(profiled.returncode, plain.returncode, f"{name}: same exit status")
    env.check_eq(normalized(profiled.stdout, ordered), normalized(plain.stdout, ordered), f"{name}: same output")
    env.check_eq([l for l in profiled.stderr.splitlines() if l.startswith("contend:")], [],
                 f"{name}: no warning")
    traces = env.traces()
    report = env.report_json(traces, "--top", "1000") if traces else None
    if report:
        # A forked child opens its trace after the fork window (at its first
        # drain pass or at exit): one killed before leaves none at all.
        complete = len(traces) - report["summary"]["incomplete_traces"]
        env.check(report["summary"]["incomplete_traces"] <= killed_children and complete >= 1,
                  f"{name}: traces complete but those of children killed on purpose "
                  f"({report['summary']['incomplete_traces']} incomplete of {len(traces)}, "
                  f"at most {killed_children})")
        env.check_eq(report["summary"]["dropped_events"], 0, f"{name}: nothing dropped")
    return profiled, report


def futex_locks(report):
    return [l for l in report["locks"] if l["kind"] == "futex"] if report else []


def check_three_waits(name, lock, at_least_ms, site=None):
    if not env.check(lock is not None, f"{name}: the lock is in the report"):
        return
    env.check_eq(lock["wait_ns"]["count"], 3, f"{name}: waits")
    env.check_eq(lock["contended"], 3, f"{name}: contended acquisitions")
    env.check(lock["wait_ns"]["min"] >= at_least_ms * MS,
              f"{name}: every wait at least {at_least_ms} ms ({lock['wait_ns']['min'] / MS:.0f} ms)")
    if site:
        sites = [s["function"] for s in lock["waiter_sites"]]
        env.check_eq(sites, [site], f"{name}: waited in")


waits = env.program("futex_trap_waits")

# glibc's malloc arena lock: main_arena (libc6-dbg names it).
run, report = compare("arena", [waits, "arena"], {"MALLOC_ARENA_MAX": "1"})
arena = [l for l in futex_locks(report) if l["name"] == "main_arena"]
env.check_eq(len(arena), 1, "arena: one lock named main_arena")
check_three_waits("arena", arena[0] if arena else None, 200, "arena_waiter")
env.check_eq(len(futex_locks(report)), 1, "arena: no other futex wait")
env.clean_traces()
hooked_only = env.run([waits, "arena"], env={"MALLOC_ARENA_MAX": "1"})
report = env.report_json(env.traces())
env.check_eq(futex_locks(report), [], "arena: without CONTEND_FUTEX=all the arena is not seen")

# pthread_barrier_wait: a futex inside the barrier object.
run, report = compare("barrier", [waits, "barrier"])
_, address, _, size = run.stdout.split()[:4]
begin = int(address, 16)
locks = futex_locks(report)
env.check_eq(len(locks), 1, "barrier: one futex lock")
if locks:
    env.check(begin <= int(locks[0]["address"], 16) < begin + int(size), "barrier: the lock is in the barrier")
    check_three_waits("barrier", locks[0], 200, "barrier_thread")

# stdio: the lock of stdout, taken by printf from 3 threads.
run, report = compare("stdio", [waits, "stdio"], ordered=False)
stdout_lock = run.stdout.split()[2]
lock = find_lock(report, address=stdout_lock, kind="futex") if report else None
check_three_waits("stdio", lock, 200, "stdio_thread")
if lock:
    env.check_eq(lock["name"], "_IO_stdfile_1_lock", "stdio: named by libc's symbol")

# A hooked mutex: its waits once, as mutex waits; the futex inside glibc never.
for mode in ({}, ALL):
    label = "hooked mutex" + (" (CONTEND_FUTEX=all)" if mode else "")
    run, report = compare(label, [waits, "hooked"], mode=mode)
    address = run.stdout.split()[1]
    lock = find_lock(report, address=address, kind="mutex") if report else None
    check_three_waits(label, lock, 200, "mutex_thread")
    env.check_eq(find_lock(report, address=address, kind="futex") if report else None, None,
                 f"{label}: not counted again as a futex")
    env.check_eq(futex_locks(report), [], f"{label}: no futex wait at all")

# OpenMP's critical section (libgomp's own lock), under its caller.
run, report = compare("omp critical", [env.program("futex_trap_omp")])
critical = [l for l in futex_locks(report) if l["wait_ns"]["min"] >= 150 * MS]
env.check_eq(len(critical), 1, "omp critical: one lock with long waits")
if critical:
    check_three_waits("omp critical", critical[0], 150, "main._omp_fn.0")

# Signals blocked in every way around trapped waits (SIGSYS must never be).
run, report = compare("blocked signals", [env.program("futex_trap_signals")])
locks = futex_locks(report)
env.check(any(l["name"] == "g_barrier+4" and l["contended"] > 0 for l in locks),
          "blocked signals: the workers' barrier waits recorded")

# The program's own SIGSYS handler and seccomp filter.
# Four children die of SIGSYS on purpose (a default action, the kernel's
# rules for a filter's trap), with their traces unfinished.
compare("own SIGSYS and seccomp", [env.program("futex_trap_sigsys")], killed_children=4)

# Exactness: PI locks, robust owner death, timeouts, EINTR, cancellation.
run, report = compare("exact results", [env.program("futex_trap_exact")])
stdout_waits = [l for l in futex_locks(report) if l["name"] == "_IO_stdfile_1_lock"]
env.check(all(l["wait_ns"]["count"] == 0 for l in stdout_waits), "exact results: a cancelled wait is not recorded")

# exec: a static binary and, with CONTEND_CHILDREN=0, a dynamic program
# that never loads the profiler; the filter goes with them.
exec_argv = [env.program("futex_trap_exec"), "parent", env.program("futex_trap_exec_static")]
for children in ("1", "0"):
    run, report = compare(f"exec (CONTEND_CHILDREN={children})", exec_argv, {"CONTEND_CHILDREN": children})
    if report and children == "0":
        env.check_eq(len(report["processes"]), 1, "exec (CONTEND_CHILDREN=0): the parent's trace only")

# An allocator preloaded after the profiler (jemalloc): the stack walker's
# per-thread cache, allocated at a thread's first walk, must not be allocated
# inside the allocator's own lock calls (it re-entered jemalloc and crashed).
jemalloc = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"
pipeline = [os.path.join(os.path.dirname(env.report), "alloc_pressure"), "2", "200000"]
plain = env.run(pipeline, preload=False)
for mode in ({}, ALL):
    env.clean_traces()
    run = env.run(pipeline, env={"LD_PRELOAD": f"{env.lib} {jemalloc}", **mode})
    label = "jemalloc after libcontend" + (" (CONTEND_FUTEX=all)" if mode else "")
    env.check_eq((run.returncode, run.stdout), (plain.returncode, plain.stdout), f"{label}: same result")

# Refused, with one warning, when address space randomization is off.
env.clean_traces()
plain = env.run([waits, "barrier"], preload=False)
run = env.run(["setarch", "x86_64", "-R", waits, "barrier"], env=ALL)
env.check_eq(run.returncode, 0, "ASLR off: exit status")
env.check_eq(run.stdout.split()[2:], plain.stdout.split()[2:], "ASLR off: same output")
warnings = [l for l in run.stderr.splitlines() if l.startswith("contend:")]
env.check_eq(len(warnings), 1, "ASLR off: one warning")
env.check(bool(warnings) and "randomization is off" in warnings[0], f"ASLR off: says why ({warnings})")
report = env.report_json(env.traces())
env.check_eq(futex_locks(report), [], "ASLR off: hooked waits only")

# Refused, with one warning, for an executable at a fixed address that makes
# system calls of its own (its signal-mask calls could not be watched).
env.clean_traces()
nopie = env.program("futex_trap_nopie")
plain = env.run([nopie], preload=False)
run = env.run([nopie], env=ALL)
env.check_eq((run.returncode, run.stdout), (plain.returncode, plain.stdout), "fixed address: same result")
warnings = [l for l in run.stderr.splitlines() if l.startswith("contend:")]
env.check(len(warnings) == 1 and "linked at a fixed address" in warnings[0], f"fixed address: one warning ({warnings})")

# A bad value: one warning, the default.
env.clean_traces()
run = env.run([waits, "barrier"], env={"CONTEND_FUTEX": "everything"})
env.check_eq([l for l in run.stderr.splitlines() if l.startswith("contend:")],
             ["contend: CONTEND_FUTEX='everything' is not one of hooked, all; using hooked"], "bad value: warning")

# The launcher's switch.
env.clean_traces()
launcher = os.path.join(os.path.dirname(env.report), "contend")
out = os.path.join(env.workdir, "trace.bin")
run = subprocess.run([launcher, "--all-futexes", "-q", "-o", out, waits, "barrier"], capture_output=True, text=True,
                     timeout=120, env={k: v for k, v in os.environ.items() if k != "LD_PRELOAD"})
env.check_eq(run.returncode, 0, "contend --all-futexes: exit status")
report = env.report_json(env.traces())
env.check_eq(len(futex_locks(report)), 1, "contend --all-futexes: the barrier's waits")
env.finish()
