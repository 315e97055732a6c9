"""The recorder's hot path and start-up against programs built to break
them: each program's output (and, where it counts, each lock's exact
counts) must be what it is without the profiler."""

import os
import re

from contend_e2e import Env

env = Env()


# A pending cancellation request: glibc's sem_wait and sem_timedwait act on
# it before trying, even when the semaphore is free (the recorder's own try
# must not take the semaphore first).
prog = env.program("sem_wait_cancel")
plain = env.run([prog], preload=False)
env.check_eq(plain.returncode, 0, "sem cancel: plain exit code")
env.check("sem_wait: cancelled, value 1" in plain.stdout, f"sem cancel: glibc cancels sem_wait ({plain.stdout!r})")
env.check("mutex: past the unlock 1, free 1" in plain.stdout, f"sem cancel: glibc does not cancel in a mutex ({plain.stdout!r})")
env.clean_traces()
profiled = env.run([prog])
env.check_eq(profiled.returncode, 0, "sem cancel: profiled exit code")
env.check_eq(profiled.stdout, plain.stdout, "sem cancel: same fates and values under the profiler")

# A library constructor that locks (booting us) and forks before our own
# constructor runs: the child is not the parent's session.
prog = env.program("ctor_fork")
for children in ("0", "1"):
    env.clean_traces()
    run = env.run([prog], env={"CONTEND_CHILDREN": children})
    env.check_eq(run.returncode, 0, f"constructor fork (children={children}): exit code")
    m = re.search(r"lock at (0x[0-9a-f]+), child (\d+) exited 0", run.stdout)
    if not env.check(m is not None, f"constructor fork (children={children}): output ({run.stdout!r})"):
        continue
    address = m.group(1)
    traces = env.traces()
    env.check_eq(len(traces), 2 if children == "1" else 1, f"constructor fork (children={children}): traces")
    parent = [t for t in traces if not t.endswith(m.group(2))]
    report = env.report_json(parent[:1])
    if report:
        env.check_eq(report["summary"]["acquisitions"], 6,
                     f"constructor fork (children={children}): the parent's trace has only its 6 acquisitions")
        env.check_eq(len(report["locks"]), 1, f"constructor fork (children={children}): the parent's one lock")
        env.check_eq(sum(l["acquisitions"] for l in report["locks"] if l["address"] == address), 6,
                     f"constructor fork (children={children}): its acquisitions")
    if children == "1":
        child = [t for t in traces if t.endswith(m.group(2))]
        report = env.report_json(child[:1]) if child else None
        if env.check(report is not None, "constructor fork (children=1): the child's own trace"):
            env.check_eq(report["summary"]["acquisitions"], 20003, "constructor fork: the child's 20003 acquisitions")

# The program's own pthread_mutex_lock comes before ours in the global
# scope: the start-up's self-cost measurement must not call it (it called it
# 5000 times before main). Stacks of one frame: the stack walker's own
# calls of pthread_mutex_lock reach the program's too, and are not this.
prog = env.program("own_mutex_wrapper")
plain = env.run([prog], preload=False)
env.check_eq(plain.stdout, "calls before main: 0\n", "own wrapper: plain output")
env.clean_traces()
profiled = env.run([prog], env={"CONTEND_STACK_DEPTH": "1"})
env.check_eq(profiled.returncode, 0, "own wrapper: profiled exit code")
env.check_eq(profiled.stdout, plain.stdout, "own wrapper: no calls of ours before main")
# Memory per thread that never waits: its block of the stack walker's TLS,
# not the walker's 256 KiB per-thread cache, which only a thread that walks
# gets (every thread had it when each walked once at its start).
idle = os.path.join(os.path.dirname(env.report), "idle_threads")
if env.check(os.path.exists(idle), "bench/idle_threads built"):
    def rss(preload):
        run = env.run([idle, "300"], preload=preload)
        return int(run.stdout.split()[3]) if run.returncode == 0 else -1
    plain_kib, profiled_kib = rss(False), rss(True)
    per_thread = (profiled_kib - plain_kib) / 300
    env.check(plain_kib > 0 and 0 < per_thread < 128,
              f"idle threads: {per_thread:.0f} KiB each under the profiler (at most 128)")
env.finish()
