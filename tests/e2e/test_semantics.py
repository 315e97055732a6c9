"""Every interposed function in the cases that matter (success, EBUSY,
ETIMEDOUT, EDEADLK, EPERM, recursion, EOWNERDEAD/ENOTRECOVERABLE, EINVAL,
errno): the output under libcontend.so is byte-identical to the plain run."""

from contend_e2e import Env

env = Env()
prog = env.program("semantics")
plain = env.run([prog], preload=False)
env.check_eq(plain.returncode, 0, "plain exit code")
env.check(plain.stdout.count("\n") > 150, f"the suite ran ({plain.stdout.count(chr(10))} lines)")
for attempt in range(2):
    env.clean_traces()
    profiled = env.run([prog])
    env.check_eq(profiled.returncode, 0, f"profiled exit code (run {attempt + 1})")
    same = profiled.stdout == plain.stdout
    if not same:
        import difflib
        print("".join(difflib.unified_diff(plain.stdout.splitlines(True), profiled.stdout.splitlines(True),
                                           "plain", "profiled")))
    env.check(same, f"identical results with and without the profiler (run {attempt + 1})")
    env.check_eq(profiled.stderr, "", "nothing on stderr")
report = env.report_json(env.traces(), "--top", "1000")
if report:
    env.check_eq(report["summary"]["incomplete_traces"], 0, "the trace is complete")
    kinds = {l["kind"] for l in report["locks"]} | {l["kind"] for l in report["cond_waits"]}
    for kind in ["mutex", "rwlock-read", "rwlock-write", "spinlock", "semaphore", "futex", "condition"]:
        env.check(kind in kinds, f"{kind} appears in the report")
env.finish()
