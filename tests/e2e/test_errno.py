"""errno set to a sentinel before successful lock calls of every kind stays
the sentinel under libcontend.so, also where the profiler does its rare
work behind the call: the first lock of the process and of a new thread,
pthread_create (the drain thread starts), thousands of distinct locks (the
lock table grows), hold records, rwlocks, spinlocks, semaphores and
conditions. Small tables make the growth happen many times."""

from contend_e2e import Env

env = Env()
prog = env.program("errno_kept")
plain = env.run([prog], preload=False)
env.check_eq(plain.returncode, 0, "plain exit code")
env.check_eq(plain.stdout, "errno kept\n", "plain: errno kept")
for name, extra in [("defaults", {}),
                    ("small tables, every hold timed", {"CONTEND_LOCK_SLOTS": "64", "CONTEND_HOLD_SAMPLE": "1",
                                                        "CONTEND_HOLD_RATE": "100000000", "CONTEND_RING_KB": "64"})]:
    env.clean_traces()
    profiled = env.run([prog], env=extra)
    env.check_eq(profiled.returncode, 0, f"{name}: profiled exit code")
    env.check_eq(profiled.stdout, "errno kept\n", f"{name}: errno kept under the profiler")
    env.check_eq(profiled.stderr, "", f"{name}: nothing on stderr")
    report = env.report_json(env.traces())
    if report:
        env.check(report["summary"]["acquisitions"] > 5000, f"{name}: the calls were recorded")
env.finish()
