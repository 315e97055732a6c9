"""The recorder's hot path and start-up against programs built to break
them: each program's output (and, where it counts, each lock's exact
counts) must be what it is without the profiler."""

from contend_e2e import Env

env = Env()


# A pending cancellation request: glibc's sem_wait and sem_timedwait act on
# it before trying, even when the semaphore is free (the recorder's own try
# must not take the semaphore first).
prog = env.program("sem_wait_cancel")
plain = env.run([prog], preload=False)
env.check_eq(plain.returncode, 0, "sem cancel: plain exit code")
env.check("sem_wait: cancelled, value 1" in plain.stdout, f"sem cancel: glibc cancels sem_wait ({plain.stdout!r})")
env.clean_traces()
profiled = env.run([prog])
env.check_eq(profiled.returncode, 0, "sem cancel: profiled exit code")
env.check_eq(profiled.stdout, plain.stdout, "sem cancel: same fates and values under the profiler")

env.finish()
