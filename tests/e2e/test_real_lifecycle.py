"""Hazards found by running real programs under the profiler, each reduced
to a small deterministic program: the program must do exactly what it does
without us (same output, same exit status), and its trace must read."""

import os
import subprocess

from contend_e2e import Env

env = Env()


def run_to_file(argv, preload, extra_env):
    """Like env.run, with stderr sent to a regular file (as a shell's 2>log
    does), whose size RLIMIT_FSIZE covers. Returns (CompletedProcess, stderr)."""
    full_env = dict(os.environ)
    full_env.pop("LD_PRELOAD", None)
    if preload:
        full_env["LD_PRELOAD"] = env.lib
        full_env["CONTEND_OUTPUT"] = os.path.join(env.workdir, "trace.bin")
    full_env.update(extra_env or {})
    log = os.path.join(env.workdir, "stderr.log")
    with open(log, "w") as err:
        run = subprocess.run(argv, cwd=env.workdir, env=full_env, stdout=subprocess.PIPE, stderr=err, text=True,
                             timeout=60)
    with open(log) as err:
        return run, err.read()


def same_as_plain(argv, what, extra_env=None, traces_expected=1, stderr_to_file=False):
    """Runs argv without and with the profiler; checks stdout and exit status
    are the same, and that the traces read. Returns the profiled run."""
    try:
        if stderr_to_file:
            plain, _ = run_to_file(argv, False, None)
            env.clean_traces()
            run, errors = run_to_file(argv, True, extra_env)
            print(f"with the profiler, stderr: {errors!r}")
        else:
            plain = env.run(argv, preload=False, timeout=60)
            env.clean_traces()
            run = env.run(argv, env=extra_env, timeout=60)
    except subprocess.TimeoutExpired:
        env.check(False, f"{what}: the process ends within 60 s")
        return None
    print(f"without the profiler: {plain.stdout.strip()!r}")
    env.check_eq((run.returncode, run.stdout), (plain.returncode, plain.stdout), f"{what}: output and exit status")
    traces = env.traces()
    env.check(len(traces) == traces_expected, f"{what}: {traces_expected} trace(s) ({traces})")
    if traces:
        env.report_json(traces)
    return run


# 1. closefrom(3) (and a close loop) at start, then a pipe of the program's
# own: libunwind's address-check pipe was on those numbers, and a walk read
# the program's data from it and wrote bytes of memory into it. Also through
# syscall(SYS_close_range), and with /dev/null dup2'ed onto the numbers.
for mode in ("closefrom", "loop", "syscall", "dup2"):
    for futex in ("", "all"):
        extra = {"CONTEND_FUTEX": futex} if futex else None
        run = same_as_plain([env.program("closefrom_reuse"), mode], f"{mode} then a pipe (CONTEND_FUTEX={futex})", extra)

# 1b. The same pipe closed past any interposer (glibc's __close, a raw
# system call, fclose of an fdopen, a plugin bound with RTLD_DEEPBIND to
# libc's close), the numbers reused for the program's files, then waits from
# a frame without unwind tables, where libunwind checks addresses through
# its pipe: its bytes of memory went into the program's output file and it
# read the program's input. Only a check before every walk sees these.
plugin = os.path.join(env.bin, "libwalker_pipe_plugin.so")
for mode in ("__close", "syscall", "fclose", "deepbind"):
    run = same_as_plain([env.program("walker_pipe_reuse"), mode, env.workdir, plugin], f"walker pipe closed by {mode}")
    if run is not None:
        env.check("output file 0 bytes, input read 12 bytes" in run.stdout,
                  f"walker pipe closed by {mode}: the program's files hold its own data ({run.stdout.strip()!r})")

# 1b'. Under a seccomp filter that kills on a call it did not expect: the
# walker checks addresses through libunwind's pipe there, not with
# process_vm_readv.
same_as_plain([env.program("walker_pipe_reuse"), "sandboxed", env.workdir], "walker under a killing seccomp filter")

# 1c. A program with a libunwind of its own shares that copy with us: our
# walks made its pipe at start-up, before the program closed its
# descriptors and filled the numbers with its files; its own walk from a
# frame without unwind tables then read and wrote them (2 of 8 files).
run = same_as_plain([env.program("walker_pipe_own"), env.workdir], "own libunwind, numbers reused")
if run is not None:
    env.check("0 of 8 files touched" in run.stdout, f"own libunwind: its files hold its own data ({run.stdout.strip()!r})")

# 1d. Started with 0, 1 and 2 closed: the walker's pipe took 1 and 2, so the
# program's writes to stderr went into it, and the trace took 0 or 1, so
# its stdout went into the trace (which then did not read). Our
# descriptors now live high: the same results as without the profiler.
std_file = os.path.join(env.workdir, "std_closed.txt")
seen = []
for preload in (False, True):
    env.clean_traces()
    env.run(["sh", "-c", 'exec "$0" stdclosed "$1" <&- >&- 2>&-', env.program("walker_pipe_reuse"), env.workdir],
            preload=preload)
    with open(std_file) as f:
        seen.append(f.read())
env.check_eq(seen[1], seen[0], "started with 0, 1 and 2 closed: writes and the next number as without the profiler")
env.check(len(env.traces()) >= 1 and env.report_json(env.traces()) is not None,
          "started with 0, 1 and 2 closed: the trace reads")

# 2. A child run under RLIMIT_FSIZE 0 (sandboxes, judges): its trace cannot
# hold even a header. An empty file left behind made contend-report refuse
# every trace of the run ("truncated at byte 0 in the file header"); with
# stderr a file (2>log), our warning's write raised SIGXFSZ and killed it.
for futex in ("", "all"):
    for to_file in (False, True):
        extra = {"CONTEND_FUTEX": futex} if futex else None
        what = f"child under RLIMIT_FSIZE 0, stderr {'a file' if to_file else 'a pipe'} (CONTEND_FUTEX={futex})"
        same_as_plain([env.program("fsize_zero_child")], what, extra, stderr_to_file=to_file)
        empty = [t for t in env.traces() if os.path.getsize(t) == 0]
        env.check_eq(empty, [], f"{what}: no empty trace file left")

env.finish()
