"""One timed run of a command, for the bench scripts: wall time, the CPU
time of its whole process tree, and its exit code.

subprocess.run(..., timeout=...) is not used: while a timeout is pending
it polls the child with sleeps that grow to 50 ms, so every wall time it
yields is late by up to 50 ms (0.215 s for a 0.172 s `sleep 0.17`), which
is a quarter of a 0.2 s bench program. Here the parent blocks in wait4()
and a timer kills a child that runs too long.
"""

import os
import subprocess
import threading
import time


class TimedRun:
    def __init__(self, returncode, wall, cpu, stdout):
        self.returncode = returncode
        self.wall = wall  # seconds
        self.cpu = cpu  # user + system seconds of the child and its waited-for descendants
        self.stdout = stdout  # text, when asked for with capture=True


def run_timed(cmd, env=None, cwd=None, timeout=600, capture=False):
    """Runs `cmd` to its end; raises subprocess.TimeoutExpired (the child
    killed) when it takes longer than `timeout` seconds."""
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    start = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL, text=True)
    killed = threading.Event()

    def kill():
        killed.set()
        proc.kill()

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        # Read the output first: a child that fills the pipe would never end.
        stdout = proc.stdout.read() if capture else None
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    if capture:
        proc.stdout.close()
    if killed.is_set():
        raise subprocess.TimeoutExpired(cmd, timeout)
    return TimedRun(proc.returncode, wall, usage.ru_utime + usage.ru_stime, stdout)
