"""Issue 2's deterministic end-to-end test: a mutex held 20 ms and handed over
ten times. Exact counts under libcontend.so, identical behaviour without."""

from contend_e2e import Env

env = Env()
prog = env.program("handoff")

plain = env.run([prog], preload=False)
env.check_eq(plain.returncode, 0, "plain run exit code")
profiled = env.run([prog])
env.check_eq(profiled.returncode, 0, "profiled run exit code")
env.check_eq(profiled.stdout, plain.stdout, "same stdout with and without the profiler")
env.check_eq(profiled.stderr, "", "the profiler says nothing by default")

traces = env.traces()
env.check_eq(len(traces), 1, "one trace file")
report = env.report_json(traces)
if report:
    env.check_eq(len(report["locks"]), 1, "one lock")
    lock = report["locks"][0]
    env.check_eq(lock["kind"], "mutex", "lock kind")
    env.check_eq(lock["acquisitions"], 20, "acquisitions")
    env.check_eq(lock["contended"], 10, "contended acquisitions")
    env.check_eq(lock["wait_ns"]["count"], 10, "recorded waits")
    env.check(lock["wait_ns"]["min"] >= 19_000_000, f"every wait >= 19 ms (min {lock['wait_ns']['min']} ns)")
    env.check(lock["wait_ns"]["max"] < 200_000_000, f"no wait absurdly long (max {lock['wait_ns']['max']} ns)")
    env.check_eq(lock["contention_rate"], 0.5, "contention rate")
    env.check_eq(lock["share_of_wait"], 1, "share of wait")
    s = report["summary"]
    env.check_eq(s["acquisitions"], 20, "summary acquisitions")
    env.check_eq(s["contended"], 10, "summary contended")
    env.check_eq(s["threads"], 2, "threads")
    env.check_eq(s["dropped_events"], 0, "dropped events")
    env.check_eq(s["incomplete_traces"], 0, "complete trace")
    env.check(s["wall_ns"] >= 200_000_000, f"wall time covers the 10 x 20 ms holds ({s['wall_ns']} ns)")
    env.check(s["wait_ns"] >= 190_000_000, f"total wait >= 190 ms ({s['wait_ns']} ns)")

# CONTEND_STATS prints the same numbers at exit.
env.clean_traces()
stats = env.run([prog], env={"CONTEND_STATS": "1"})
env.check_eq(stats.returncode, 0, "stats run exit code")
env.check_eq(stats.stdout, plain.stdout, "stats run stdout unchanged")
env.check("20 acquisitions, 10 contended (50.0%)" in stats.stderr, "stats summary on stderr:\n" + stats.stderr)
table = env.run([env.report, *env.traces()], preload=False)
env.check(table.stdout.splitlines()[1:] == stats.stderr.strip("\n").splitlines()[1:-1],
          "stats summary is the report table")
env.finish()
