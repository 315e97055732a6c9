"""vfork + execl in a loop: the exec wrappers must not allocate (exec is
async-signal-safe, and a vfork child's allocations stay in the parent's
heap for good): 10,000 children leave the parent's heap where it was, as
without the profiler."""

import re

from contend_e2e import Env

env = Env()
prog = env.program("vfork_exec_loop")
COUNT = 10000


def growth(out):
    m = re.search(r"children (\d+) heap growth (-?\d+) bytes brk growth (-?\d+) bytes", out)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


plain = env.run([prog, str(COUNT)], preload=False, timeout=300)
env.check_eq(plain.returncode, 0, "plain exit code")
env.check(growth(plain.stdout) is not None, f"plain: growth printed ({plain.stdout.strip()!r})")
# CONTEND_CHILDREN=0: the 10,000 children run /bin/true unprofiled; the
# parent's exec wrappers are what is measured.
profiled = env.run([prog, str(COUNT)], env={"CONTEND_CHILDREN": "0"}, timeout=300)
env.check_eq(profiled.returncode, 0, "profiled exit code")
env.check_eq(profiled.stderr, "", "nothing on stderr")
env.check("70 arguments: execl 70 execlp 70 execle 70" in profiled.stdout,
          f"long argument lists reach the program whole ({profiled.stdout.splitlines()[:1]})")
g = growth(profiled.stdout)
env.check(g is not None, f"profiled: growth printed ({profiled.stdout.strip()!r})")
if g:
    children, heap, brk = g
    env.check_eq(children, COUNT, "every child ran")
    env.check_eq(heap, 0, "the heap in use did not grow with the children")
    env.check_eq(brk, 0, "the program break did not move")
report = env.report_json(env.traces())
if report:
    env.check_eq(report["summary"]["incomplete_traces"], 0, "the parent's trace is complete")
env.finish()
