"""Threads: 20,000 short-lived threads all accounted for with bounded memory;
a ring overflow whose drops are exactly produced - written; signal handlers
that lock while their thread is inside a hook."""

import re

from contend_e2e import Env

env = Env()


def peak_kib(stderr):
    m = re.search(r"peak_rss_kib (\d+)", stderr)
    return int(m.group(1)) if m else -1


# Thread churn.
plain = env.run([env.program("thread_churn"), "20000"], preload=False)
profiled = env.run([env.program("thread_churn"), "20000"])
env.check_eq(profiled.returncode, 0, "churn: exit code")
env.check_eq(profiled.stdout.split(" lock")[0], plain.stdout.split(" lock")[0], "churn: same output")
report = env.report_json(env.traces())
if report:
    env.check_eq(report["summary"]["threads"], 20001, "churn: every thread accounted for (20,000 + main)")
    env.check_eq(report["summary"]["threads_unprofiled"], 0, "churn: no thread refused")
    env.check_eq(report["locks"][0]["acquisitions"], 20000, "churn: every acquisition counted")
    env.check_eq(report["summary"]["dropped_events"], 0, "churn: nothing dropped")
extra = peak_kib(profiled.stderr) - peak_kib(plain.stderr)
env.check(0 <= extra < 64 * 1024, f"churn: memory bounded (+{extra} KiB peak RSS for 20,000 threads)")

# Ring overflow: a 16 KiB ring and no drain thread (a ring a quarter full
# wakes a running drain, so only its absence overflows on cue).
env.clean_traces()
run = env.run([env.program("ring_overflow"), "3000"], env={"CONTEND_RING_KB": "16", "CONTEND_FLUSH_MS": "0"})
env.check_eq(run.returncode, 0, "overflow: exit code")
report = env.report_json(env.traces())
if report:
    lock = report["locks"][0]
    dropped = report["summary"]["dropped_events"]
    env.check_eq(lock["contended"], 3000, "overflow: every contended acquisition counted")
    env.check(dropped > 0, f"overflow: events were dropped ({dropped})")
    env.check_eq(report["summary"]["dropped_waits"], lock["contended"] - lock["wait_ns"]["count"],
                 "overflow: dropped waits = produced - written")
    env.check(any("dropped" in w for w in report["warnings"]), "overflow: the report warns about it")
    table = env.run([env.report, *env.traces()], preload=False)
    env.check("WARNING: this report is missing data" in table.stdout, "overflow: the table says so too")

# Signal handlers that lock.
env.clean_traces()
run = env.run([env.program("signal_locks")], timeout=120)
env.check_eq(run.returncode, 0, "signals: exit code")
env.check("handler ran 2000 times, consistent 1" in run.stdout, f"signals: handler and main agree: {run.stdout!r}")
report = env.report_json(env.traces())
if report:
    main_address = re.search(r"main lock (0x[0-9a-f]+) acquisitions (\d+)", run.stdout)
    lock = next((l for l in report["locks"] if l["address"] == main_address.group(1)), None)
    env.check(lock is not None and lock["acquisitions"] == int(main_address.group(2)),
              "signals: the interrupted thread's own counts are exact")
env.finish()
