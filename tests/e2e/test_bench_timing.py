"""The bench scripts' timed run (bench/timed_run.py): wall time without the
up-to-50 ms lateness of subprocess.run's timeout polling, the CPU time of
the whole process tree, the exit code, and a child killed at its timeout."""

import os
import subprocess
import sys
import time

from contend_e2e import Env

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
from timed_run import run_timed  # noqa: E402

env = Env()

# A 0.17 s sleep: subprocess.run with a timeout sees its end at 0.2135 s at
# the earliest (its polls come at fixed times after the start).
walls = [run_timed(["sleep", "0.17"]).wall for _ in range(3)]
env.check(0.17 <= min(walls) < 0.2, f"sleep 0.17 measured {min(walls):.4f} s (best of {walls})")

# CPU spent by a grandchild counts; the exit code is the child's.
busy = f"{sys.executable} -c 'import time\nend = time.process_time() + 0.2\nwhile time.process_time() < end: pass'"
run = run_timed(["sh", "-c", f"{busy}; exit 3"])
env.check_eq(run.returncode, 3, "exit code")
env.check(run.cpu >= 0.2, f"a grandchild's 0.2 s of CPU counted: {run.cpu:.3f} s")

run = run_timed(["sh", "-c", "echo out; kill -TERM $$"], capture=True)
env.check_eq((run.returncode, run.stdout), (-15, "out\n"), "a signal's exit code and the captured output")

start = time.monotonic()
try:
    run_timed(["sleep", "5"], timeout=0.3)
    env.check(False, "a run past its timeout raises")
except subprocess.TimeoutExpired:
    env.check(time.monotonic() - start < 2, "a run past its timeout is killed and raises")

env.finish()
