"""libcontend.so injects nothing into the program it profiles: it exports
only its hooks (each under the symbol versions glibc gives it), needs only
the C and C++ runtime, keeps its unwinder out of the program's lookup, and
the program's own exceptions, old symbol versions and libraries are as
without it."""

import os
import re
import subprocess

from contend_e2e import Env

env = Env()
SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNTIME = {"libc.so.6", "libm.so.6", "libgcc_s.so.1", "libstdc++.so.6", "ld-linux-x86-64.so.2"}


def tool(*argv):
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout


def needed(path):
    return set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", tool("readelf", "-d", path)))


def versions(path):
    """{name: {version: is_default}} of the defined dynamic functions."""
    out = {}
    for line in tool("nm", "-D", "--defined-only", "--with-symbol-versions", path).splitlines():
        fields = line.split()
        if len(fields) != 3 or fields[1] in ("A",):
            continue
        m = re.match(r"([^@]+)(@@?)(.+)", fields[2])
        if m is None:
            out.setdefault(fields[2], {})[""] = True
        else:
            out.setdefault(m.group(1), {})[m.group(3)] = m.group(2) == "@@"
    return out


def map_names():
    text = re.sub(r"/\*.*?\*/", "", open(os.path.join(SOURCE, "preload", "exports.map")).read(), flags=re.S)
    names = set()
    for block in re.findall(r"global:(.*?)(?:local:|\})", text, flags=re.S):
        names.update(n.strip() for n in block.split(";") if n.strip())
    return names


# What the library exports: exactly the names exports.map lists.
ours = versions(env.lib)
listed = map_names()
env.check_eq(sorted(set(ours) - listed), [], "nothing exported beyond exports.map")
env.check_eq(sorted(listed - set(ours)), [], "every name of exports.map exported")
HOOKED = ("pthread_", "sem_", "exec", "fexecve", "_exit", "_Exit", "syscall", "dlclose", "unshare", "setns", "contend_")
env.check(all(n.startswith(HOOKED) for n in ours), f"only hooks and the contend_ API: {sorted(ours)}")

# Every version libc defines for a hooked name is ours too, with the same
# default: a program bound to either reaches the hook (or, for the old
# condition ABI, our forwarder).
libc = versions("/lib/x86_64-linux-gnu/libc.so.6")
for name, vers in sorted(ours.items()):
    if name.startswith("contend_"):
        continue
    theirs = libc.get(name, {})
    env.check(set(theirs) <= set(vers), f"{name}: libc's versions {sorted(theirs)} all bound (ours {sorted(vers)})")
    default = [v for v, d in theirs.items() if d]
    env.check([v for v, d in vers.items() if d] == default, f"{name}: default version {default}")

# Nothing beyond the C and C++ runtime is loaded with it.
deps = needed(env.lib)
env.check(deps <= RUNTIME, f"DT_NEEDED {sorted(deps)} within the C/C++ runtime")

# The program's symbol lookup: the unwinder ABI stays libgcc's, backtrace
# glibc's, and no analysis library is mapped, with CONTEND_STATS too.
owner = env.program("symbol_owner")
for stats in ("0", "1"):
    run = env.run([owner], env={"CONTEND_STATS": stats})
    env.check_eq(run.returncode, 0, f"symbol_owner (stats {stats}) exit status")
    lines = dict(line.rsplit(" ", 1) for line in run.stdout.splitlines())
    for symbol in ("_Unwind_RaiseException", "_Unwind_Backtrace", "_Unwind_Resume"):
        env.check_eq(lines.get(symbol), "libgcc_s.so.1", f"{symbol} resolves to libgcc_s (stats {stats})")
    env.check_eq(lines.get("backtrace"), "libc.so.6", f"backtrace stays glibc's (stats {stats})")
    env.check_eq(lines.get("unw_backtrace"), "none", f"libunwind invisible to the program (stats {stats})")
    env.check_eq(lines.get("dwarf_begin"), "none", f"libdw invisible to the program (stats {stats})")
    for lib in ("libdw", "libelf", "libfmt", "libspdlog"):
        env.check_eq(lines.get(f"{lib} mapped"), "no", f"{lib} not mapped into the program (stats {stats})")
    if stats == "1":
        env.check("Full report: contend-report" in run.stderr, "CONTEND_STATS still prints the summary")
    env.clean_traces()

# The program's own exceptions, from a binary without libgcc_s in DT_NEEDED
# (the shape that used to throw through libunwind and hang for good).
throw = env.program("throw_loop")
env.check("libgcc_s.so.1" not in needed(throw), "throw_loop does not list libgcc_s itself")
for program, libunwind in ((throw, False), (env.program("throw_via_libunwind"), True)):
    name = os.path.basename(program)
    env.check(("libunwind.so.8" in needed(program)) == libunwind, f"{name}: links libunwind: {libunwind}")
    for threads, throws in ((1, 20000), (4, 5000)):
        plain = env.run([program, str(threads), str(throws)], preload=False, timeout=60)
        try:
            run = env.run([program, str(threads), str(throws)], timeout=60)
        except subprocess.TimeoutExpired:
            env.check(False, f"{name} {threads} threads: finished within 60 s")
            continue
        env.check_eq(run.returncode, plain.returncode, f"{name} {threads} threads: exit status")
        env.check_eq(run.stdout, plain.stdout, f"{name} {threads} threads: output")
        if threads > 1:
            report = env.report_json(env.traces())
            counts = [lock["acquisitions"] for lock in report["locks"] if lock["kind"] == "mutex"] if report else []
            env.check(threads * throws in counts,
                      f"{name}: the contended mutex counted exactly ({threads * throws} in {counts})")
        env.clean_traces()

# A program bound to the condition-variable ABI before glibc 2.3.2 gets
# libc's compatibility functions: a timed wait times out, destroy works.
compat = env.program("cond_compat")
plain = env.run([compat], preload=False)
run = env.run([compat])
env.check_eq(run.returncode, 0, "cond_compat exit status")
env.check_eq(run.stdout, plain.stdout, "old condition ABI: same results as without the library")
env.check("timedwait ETIMEDOUT" in run.stdout, "old condition ABI: the timed wait timed out")

env.finish()
