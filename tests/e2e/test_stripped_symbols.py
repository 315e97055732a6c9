"""Stripped programs, as most of Debian's are: the report says once where
the missing names would come from, and finds them when they exist: a
.gnu_debuglink file beside the program, or a debuginfod server
(DEBUGINFOD_URLS)."""

import os
import shutil
import socket
import subprocess
import time

from contend_e2e import Env

env = Env()
source = os.path.join(env.workdir, "handoff_debug")
shutil.copy(env.program("handoff_debuginfo"), source)
subprocess.run(["objcopy", "--only-keep-debug", source, source + ".debug"], check=True)

HINT = "stripped, no symbols or debug information found"


def profile(program):
    env.clean_traces()
    run = env.run([program])
    env.check_eq(run.returncode, 0, f"{os.path.basename(program)}: exit status")
    return env.traces()


def report(traces, extra_env=None):
    full = dict(os.environ, **(extra_env or {}))
    out = subprocess.run([env.report, *traces], capture_output=True, text=True, env=full, timeout=120)
    env.check_eq(out.returncode, 0, "contend-report exit status")
    return out.stdout + out.stderr


# Stripped, nothing to find: module+offset, and one hint naming the fixes.
stripped = os.path.join(env.workdir, "handoff_stripped")
subprocess.run(["objcopy", "--strip-all", source, stripped], check=True)
text = report(profile(stripped))
hints = [line for line in text.splitlines() if HINT in line]
env.check_eq(len(hints), 1, "one hint for the stripped program")
env.check(bool(hints) and "handoff_stripped: " in hints[0] and "/usr/lib/debug/.build-id/" in hints[0]
          and "DEBUGINFOD_URLS" in hints[0], f"the hint says what to do: {hints}")
env.check("handoff_stripped+0x" in text, "its frames show as module+offset")
env.check("worker (handoff.c:" not in text, "no names without symbols")

# The same program with a .gnu_debuglink to a debug file beside it.
linked = os.path.join(env.workdir, "handoff_linked")
subprocess.run(["objcopy", "--strip-all", "--add-gnu-debuglink=" + source + ".debug", source, linked], check=True)
text = report(profile(linked))
env.check("worker (handoff.c:" in text, "debug link: the waiting function and its line are named")
env.check(HINT not in text, "debug link: no hint")

# A debuginfod server holding the unstripped program.
if env.check(shutil.which("debuginfod") is not None, "debuginfod is installed (scripts/install-deps.sh)"):
    served = os.path.join(env.workdir, "served")
    os.makedirs(served)
    shutil.copy(source, served)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(["debuginfod", "-F", served, "-p", str(port), "-d", os.path.join(served, "index.db")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        traces = profile(stripped)
        cache = os.path.join(env.workdir, "debuginfod-cache")
        url = {"DEBUGINFOD_URLS": f"http://127.0.0.1:{port}", "DEBUGINFOD_CACHE_PATH": cache}
        text = ""
        for _ in range(100):  # until the server has indexed the directory
            text = report(traces, url)
            if "worker (handoff.c:" in text:
                break
            shutil.rmtree(cache, ignore_errors=True)
            time.sleep(0.2)
        env.check("worker (handoff.c:" in text, "debuginfod: the waiting function and its line are named")
    finally:
        server.terminate()
        server.wait(timeout=30)
env.finish()
