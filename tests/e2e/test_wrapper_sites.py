"""Call sites at the user's code: the first frame outside the lock primitive
and the lock wrappers, with the wrapper as context. A C wrapper called from
three functions gives three sites; a critical section called from two stays
one site; std::scoped_lock of two std::mutex members is sited (and its lock
named) at the calling function; a lambda run by std::thread is its own site.
--raw-sites shows the innermost frames again, --wrapper adds a wrapper."""

from contend_e2e import Env

env = Env()


def profile(argv):
    env.clean_traces()
    run = env.run(argv)
    env.check_eq(run.returncode, 0, f"{' '.join(argv[-2:])}: exit code")
    return dict(line.split() for line in run.stdout.splitlines())


def lock_at(report, address):
    return next((l for l in report["locks"] if l["address"] == address), None) if report else None


def sites(lock):
    return sorted((s["function"], s["via"], s["count"]) for s in lock["waiter_sites"]) if lock else []


# A C wrapper (take: locks and checks) called from alpha, beta and gamma.
addresses = profile([env.program("c_wrapper")])
traces = env.traces()
report = env.report_json(traces)
pool = lock_at(report, addresses["pool"])
env.check_eq(sites(pool), [("alpha", "take", 1), ("beta", "take", 1), ("gamma_", "take", 1)],
             "C wrapper: three callers, three sites, each through take")
env.check(pool is not None and all(s["label"].startswith(s["function"] + " (c_wrapper.c:") and
                                   s["label"].endswith(" ← take") for s in pool["waiter_sites"]),
          f"C wrapper: labels read 'caller (file:line) ← take': {[s['label'] for s in pool['waiter_sites']] if pool else None}")
count = lock_at(report, addresses["count"])
env.check_eq(sites(count), [("bump", "", 2)], "critical section: bump locks, counts and unlocks: one site")
raw = env.report_json(traces, "--raw-sites")
env.check_eq([s["function"] for s in lock_at(raw, addresses["pool"])["waiter_sites"]] if raw else None, ["take"],
             "--raw-sites: the innermost frame, the wrapper itself")
marked = env.report_json(traces, "--wrapper", "bump")
env.check_eq(sites(lock_at(marked, addresses["count"])), [("delta", "bump", 1), ("epsilon", "bump", 1)],
             "--wrapper bump: its callers become the sites")

# std::scoped_lock of two std::mutex members.
addresses = profile([env.program("wrapper_sites"), "scoped"])
report = env.report_json(env.traces())
lock = lock_at(report, addresses["scoped"])
env.check_eq([(s["function"], s["via"]) for s in lock["waiter_sites"]] if lock else None,
             [("transfer", "std::scoped_lock<std::mutex, std::mutex>::scoped_lock")],
             "std::scoped_lock: the site is the calling function, the wrapper its context")
env.check(lock is not None and lock["name"].startswith("first locked in transfer (wrapper_sites.cpp:"),
          f"std::scoped_lock: the lock is named after the calling function: {lock['name'] if lock else None}")

# A lambda run by std::thread, inlined into the thread's entry.
addresses = profile([env.program("wrapper_sites"), "lambda"])
report = env.report_json(env.traces())
lock = lock_at(report, addresses["lambda"])
env.check_eq([s["function"] for s in lock["waiter_sites"]] if lock else None, ["run_lambda::{lambda()#1}"],
             "a lambda run by std::thread is the site")
env.finish()
