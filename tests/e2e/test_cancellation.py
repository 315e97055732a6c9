"""Threads cancelled inside every interposed wait that is a cancellation
point (sem_wait, sem_timedwait, sem_clockwait, pthread_cond_wait,
pthread_cond_timedwait, pthread_cond_clockwait): each ends cancelled with
its cleanup handler run, exactly as without the profiler, and the cancelled
waiters leave no trace in the blame: posts made when nobody waits are
charged nothing."""

from contend_e2e import Env

env = Env()
prog = env.program("cancelled_waits")
plain = env.run([prog], preload=False)
env.check_eq(plain.returncode, 0, "plain exit code")
profiled = env.run([prog])
env.check_eq(profiled.returncode, 0, "profiled exit code")
env.check_eq(profiled.stderr, "", "nothing on stderr")
first = lambda out: out.splitlines()[0] if out else ""
env.check_eq(first(plain.stdout), "cancelled 6 cleanups 6", "plain: every thread cancelled, every cleanup run")
env.check_eq(first(profiled.stdout), first(plain.stdout), "profiled: the same")
report = env.report_json(env.traces(), "--top", "100")
if report and profiled.stdout:
    address = profiled.stdout.split()[-1]
    sem = next((l for l in report["locks"] if l["kind"] == "semaphore"), None)
    env.check(sem is not None, "the semaphore is in the report")
    if sem:
        env.check_eq(sem["address"], address, "the semaphore's address")
        env.check_eq(sem["caused_ns"], 0, "no phantom waiting charged after the cancellations")
        env.check_eq(sem["holder_sites"], [], "no holder blamed")
        env.check_eq(sem["wait_ns"]["count"], 3, "the three cancelled waits, recorded as not acquired")
        env.check_eq(sem["contended"], 0, "none of them acquired")
    env.check_eq(report["summary"]["incomplete_traces"], 0, "the trace is complete")
env.finish()
