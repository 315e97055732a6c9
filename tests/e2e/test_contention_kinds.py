"""One deterministic contention test per primitive: exact counts of
contended acquisitions and waits no shorter than the planted 20 ms hold.
The futex and the semaphore are signals here (one thread waits, another
that never waits posts): they are listed as events, not lock contention."""

from contend_e2e import Env

env = Env()
prog = env.program("contention_kinds")
ROUNDS = 5
HOLD_NS = 20_000_000
MIN_WAIT = HOLD_NS * 95 // 100  # the waiter announces itself just before blocking


def entry(report, address, kind):
    for section in ("locks", "cond_waits", "events"):
        for lock in report[section]:
            if lock["address"] == address and lock["kind"] == kind:
                return section, lock
    return None, None


cases = {
    # name: (kind in report, acquisitions, contended, trylock_failures, timeouts, wakes, section)
    "mutex": ("mutex", 2 * ROUNDS, ROUNDS, 0, 0, 0, "locks"),
    "rwlock-read": ("rwlock-read", ROUNDS, ROUNDS, 0, 0, 0, "locks"),
    "rwlock-write": ("rwlock-write", ROUNDS, ROUNDS, 0, 0, 0, "locks"),
    "spinlock": ("spinlock", 2 * ROUNDS, ROUNDS, 0, 0, 0, "locks"),
    "futex": ("futex", ROUNDS, ROUNDS, 0, 0, ROUNDS, "events"),
    "semaphore": ("semaphore", ROUNDS, ROUNDS, 0, 0, ROUNDS, "events"),
    "trylock": ("mutex", 2 * ROUNDS, ROUNDS, 3 * ROUNDS, 0, 0, "locks"),
    "timeout": ("mutex", ROUNDS, 0, 0, ROUNDS, 0, "locks"),
    "condition": ("condition", ROUNDS, ROUNDS, 0, 0, ROUNDS, "cond_waits"),
}

for name, (kind, acq, contended, tryfail, timeouts, wakes, section) in cases.items():
    env.clean_traces()
    run = env.run([prog, name, str(ROUNDS)])
    if not env.check_eq(run.returncode, 0, f"{name}: exit code"):
        continue
    address = run.stdout.split()[1]
    report = env.report_json(env.traces())
    if not report:
        continue
    where, lock = entry(report, address, kind)
    if not env.check(lock is not None, f"{name}: {kind} {address} is in the report"):
        continue
    env.check_eq(where, section, f"{name}: listed under {section}")
    env.check_eq(lock["acquisitions"], acq, f"{name}: acquisitions")
    env.check_eq(lock["contended"], contended, f"{name}: contended")
    env.check_eq(lock["trylock_failures"], tryfail, f"{name}: failed trylocks")
    env.check_eq(lock["timeouts"], timeouts, f"{name}: timeouts")
    env.check_eq(lock["wakes"], wakes, f"{name}: wakes")
    env.check_eq(lock["wait_ns"]["count"], ROUNDS, f"{name}: recorded waits")
    env.check(lock["wait_ns"]["min"] >= MIN_WAIT, f"{name}: every wait >= 19 ms (min {lock['wait_ns']['min']})")
    if section == "events":
        env.check_eq((report["summary"]["contended"], report["summary"]["wait_ns"]), (0, 0),
                     f"{name}: an event is not lock contention in the summary")
        env.check_eq(report["summary"]["event_waits"], ROUNDS, f"{name}: the summary counts its waits as events")
    if name == "condition":
        # Waiting for a condition is never lock contention.
        env.check_eq(report["summary"]["contended"], 0, "condition: no lock contention in the summary")
        env.check_eq(report["summary"]["wait_ns"], 0, "condition: no lock wait in the summary")
        mutex = run.stdout.split("\n")[1].split()[1]
        _, m = entry(report, mutex, "mutex")
        env.check(m is not None and m["contended"] == 0, f"condition: its mutex {mutex} shows no contention")
env.finish()
