"""The stack memo never gives one caller's stack to another's waits:
memo_callers waits 12 times through one wrapper, called three times by one
function and three times by another of the same frame, in turn. The waits'
stacks follow the callers exactly; the first caller's walk is kept and
reused by its later waits."""

import re
import subprocess

from contend_e2e import Env

env = Env()
prog = env.program("memo_callers")

plain = env.run([prog], preload=False)
profiled = env.run([prog])
env.check_eq((profiled.returncode, profiled.stdout), (plain.returncode, plain.stdout), "exit code and output")

dump = subprocess.run([env.report, "--dump", *env.traces()], capture_output=True, text=True, timeout=60).stdout
waits = [re.search(r" stack=(\d+)( stack-reused)?$", line) for line in dump.splitlines() if " WAIT " in line]
env.check_eq(len(waits), 12, "waits")
if len(waits) == 12 and all(waits):
    stacks = [w.group(1) for w in waits]
    first, second = stacks[0], stacks[3]
    env.check(first != second, "the two callers' stacks differ")
    env.check_eq(stacks, [first] * 3 + [second] * 3 + [first] * 3 + [second] * 3, "each wait's stack")
    # The first caller's walk is kept; the second's waits do not match it
    # and are walked, and the first caller's later waits reuse it again.
    env.check_eq([w.group(2) is not None for w in waits], [False, True, True, False, False, False] + [True] * 3 +
                 [False] * 3, "waits whose walk was reused")

folded = subprocess.run([env.report, "-f", "folded", *env.traces()], capture_output=True, text=True,
                        timeout=60).stdout
for caller in ("from_first", "from_second"):
    env.check(re.search(rf";worker;{caller};wait_in_wrapper;\[mutex g_lock\] \d+$", folded, re.M) is not None,
              f"{caller} named in the folded stacks:\n{folded}")
env.finish()
