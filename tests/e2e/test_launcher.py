"""The contend launcher: runs a program under the library, exits with its
status, says where the traces are, refuses static and setuid programs, and
makes ASan programs and preloaded allocators work, in either order."""

import os
import shutil
import stat
import subprocess

from contend_e2e import Env

env = Env()
launcher = os.path.join(os.path.dirname(env.report), "contend")


def launch(*args, extra_env=None, cwd=None):
    e = dict(os.environ)
    e.pop("LD_PRELOAD", None)
    e.pop("CONTEND_OUTPUT", None)
    e.update(extra_env or {})
    return subprocess.run([launcher, *args], cwd=cwd or env.workdir, env=e, capture_output=True, text=True,
                          timeout=120)


run = launch("-o", "t.bin", "--", env.program("exit_variants"), "exit")
env.check_eq(run.returncode, 7, "exit status of the program")
env.check("contend: 1 trace: t.bin" in run.stderr, f"names the trace: {run.stderr!r}")
env.check("contend: report with: contend-report t.bin" in run.stderr, "says how to report")
report = env.report_json([os.path.join(env.workdir, "t.bin")])
if report:
    env.check_eq(report["locks"][0]["contended"], 3, "the trace has the program's contention")

run = launch("-o", "f.bin", env.program("fork_contention"))
env.check_eq(run.returncode, 0, "fork: exit status")
env.check("contend: 2 traces: f.bin f.bin." in run.stderr, f"fork: both traces named: {run.stderr!r}")

run = launch("--stats", "-o", "s.bin", env.program("handoff"))
env.check("20 acquisitions, 10 contended" in run.stderr, "--stats prints the summary")

run = launch(env.program("static_hello"))
env.check_eq(run.returncode, 125, "static binary refused (exit 125)")
env.check("is statically linked" in run.stderr, f"static: clear message: {run.stderr!r}")

setuid_copy = os.path.join(env.workdir, "setuid_handoff")
shutil.copy(env.program("handoff"), setuid_copy)
os.chmod(setuid_copy, 0o4755)
run = launch(setuid_copy)
env.check_eq(run.returncode, 125, "setuid program refused (exit 125)")
env.check("setuid" in run.stderr, f"setuid: clear message: {run.stderr!r}")

run = launch("no-such-program-anywhere")
env.check_eq(run.returncode, 127, "missing program: exit 127")

run = launch()
env.check_eq(run.returncode, 125, "no program: exit 125")

# ASan wants to be first; the launcher puts its runtime ahead of us.
run = launch("-o", "asan.bin", env.program("asan_locks"))
env.check_eq(run.returncode, 0, f"ASan program runs: {run.stderr.strip()[:300]!r}")
env.check("asan ok" in run.stdout, "ASan program output")
report = env.report_json([os.path.join(env.workdir, "asan.bin")])
if report:
    env.check_eq(report["locks"][0]["contended"] if report["locks"] else None, 3, "ASan program profiled")

# jemalloc or tcmalloc preloaded beside us, in either order.
for allocator in ["/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"]:
    name = os.path.basename(allocator).split(".")[0]
    if not env.check(os.path.exists(allocator), f"{allocator} is installed"):
        continue
    run = launch("-o", f"{name}-after.bin", env.program("handoff"), extra_env={"LD_PRELOAD": allocator})
    env.check_eq(run.returncode, 0, f"{name} preloaded, launcher puts us first")
    r = env.report_json([os.path.join(env.workdir, f"{name}-after.bin")])
    env.check(r is not None and any(l["contended"] == 10 for l in r["locks"]), f"{name}: us first: contention seen")
    env.clean_traces()
    run = env.run([env.program("handoff")], env={"LD_PRELOAD": f"{allocator}:{env.lib}"})
    env.check_eq(run.returncode, 0, f"{name} first, us second")
    r = env.report_json(env.traces())
    env.check(r is not None and any(l["contended"] == 10 for l in r["locks"]), f"{name}: us second: contention seen")

# An AT_SECURE process (setgid) that loads us anyway must see nothing of us.
secure = os.path.join(env.workdir, "secure_dlopen")
shutil.copy(env.program("secure_dlopen"), secure)
shutil.chown(secure, group="nogroup")
os.chmod(secure, 0o2755)
env.clean_traces()
e = dict(os.environ, CONTEND_OUTPUT=os.path.join(env.workdir, "trace.bin"), CONTEND_STATS="1")
run = subprocess.run([secure, env.lib], cwd=env.workdir, env=e, capture_output=True, text=True, timeout=60)
env.check_eq((run.returncode, run.stdout.strip(), run.stderr), (0, "secure done", ""), "AT_SECURE: program unchanged")
env.check_eq(env.traces(), [], "AT_SECURE: no trace written")
env.finish()
