"""Addresses the kernel or glibc reject, or never read (futex words that are
NULL, unmapped, inaccessible or read-only; timeouts of free mutexes that
point nowhere): the output under libcontend.so is byte-identical to the
plain run, and nothing crashes."""

import difflib

from contend_e2e import Env

env = Env()
prog = env.program("bad_addresses")
plain = env.run([prog], preload=False)
env.check_eq(plain.returncode, 0, "plain exit code")
env.check(plain.stdout.endswith("done\n"), "the plain run got to the end")
env.check("LOCK_PI on NULL                          rc=-1 errno=14" in plain.stdout,
          "the kernel answers EFAULT for FUTEX_LOCK_PI on NULL")
profiled = env.run([prog])
env.check_eq(profiled.returncode, 0, "profiled exit code")
same = profiled.stdout == plain.stdout
if not same:
    print("".join(difflib.unified_diff(plain.stdout.splitlines(True), profiled.stdout.splitlines(True),
                                       "plain", "profiled")))
env.check(same, "identical results with and without the profiler")
env.check_eq(profiled.stderr, "", "nothing on stderr")
for call in ["mutex_lock", "mutex_unlock", "mutex_timedlock", "rwlock_rdlock", "rwlock_unlock", "spin_lock",
             "sem_wait", "sem_post", "cond_signal"]:
    alone = env.run([prog, call], preload=False)
    under = env.run([prog, call], trace=f"null-{call}.bin")
    env.check_eq(alone.returncode, -11, f"{call}(NULL) crashes glibc")
    env.check_eq(under.returncode, alone.returncode, f"{call}(NULL) ends as without the profiler")
report = env.report_json(env.traces())
if report:
    env.check_eq(report["summary"]["incomplete_traces"], 0, "the trace is complete")
env.finish()
