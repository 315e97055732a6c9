"""The contend launcher: runs a program under the library with its arguments
untouched, exits with its status, says where the traces are and which
process did the work, says why a program cannot be run, refuses static and
setuid programs, and makes ASan programs and preloaded allocators work, in
either order."""

import glob
import os
import re
import shutil
import subprocess

from contend_e2e import Env

env = Env()
launcher = os.path.join(os.path.dirname(env.report), "contend")


def launch(*args, extra_env=None, cwd=None):
    e = dict(os.environ)
    e.pop("LD_PRELOAD", None)
    e.pop("CONTEND_OUTPUT", None)
    e.update(extra_env or {})
    return subprocess.run([launcher, *args], cwd=cwd or env.workdir, env=e, capture_output=True, text=True, errors="replace",
                          timeout=120)


run = launch("-o", "t.bin", "--", env.program("exit_variants"), "exit")
env.check_eq(run.returncode, 7, "exit status of the program")
env.check("contend: 1 trace: t.bin" in run.stderr, f"names the trace: {run.stderr!r}")
env.check("contend: report with: contend-report t.bin" in run.stderr, "says how to report")
report = env.report_json([os.path.join(env.workdir, "t.bin")])
if report:
    env.check_eq(report["locks"][0]["contended"], 3, "the trace has the program's contention")


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
# --- The program's arguments are its own, word for word. ---
print_args = env.program("print_args")


def received(run):
    """The argv print_args got (it writes each word NUL-terminated)."""
    return run.stdout.split("\0")[:-1]


def one_line(text):
    return text.count("\n") == 1 and text.endswith("\n")


shapes = [["-p", "4", "-c", "data"], ["-o", "y"], ["-q"], ["--help"], ["--version"], ["--stats", "x"],
          ["--no-children"], ["-oz"], ["--output=z"], ["--", "after"], ["--bogus"], ["", "two words", "-", "a\nb"]]
for shape in shapes:
    for separator in ([], ["--"]):
        for ours in ([], ["-o", "args.trace"]):
            run = launch(*ours, *separator, print_args, *shape)
            what = f"contend {' '.join(ours + separator)} print_args {shape!r}"
            env.check_eq((run.returncode, received(run)), (0, [print_args, *shape]), f"{what}: argv untouched")
            if ours:
                env.check("contend: 1 trace: args.trace" in run.stderr, f"{what}: contend's -o kept: {run.stderr!r}")
            for stray in ("y", "z", "x"):
                path = os.path.join(env.workdir, stray)
                env.check(not os.path.exists(path), f"{what}: no trace at {stray}")
                if os.path.exists(path):
                    os.remove(path)

run = launch("-o", "x.trace", print_args, "-o", "y")
env.check_eq(received(run), [print_args, "-o", "y"], "contend -o x.trace app -o y: the program gets -o y")
env.check(os.path.exists(os.path.join(env.workdir, "x.trace")), "contend -o x.trace: the trace is x.trace")
env.check(not os.path.exists(os.path.join(env.workdir, "y")), "contend -o x.trace app -o y: nothing written to y")
for ours in (["-ox2.trace"], ["--output=x3.trace"], ["--output", "x4.trace"], ["-qo", "x5.trace"]):
    run = launch(*ours, print_args, "-q")
    env.check_eq(received(run), [print_args, "-q"], f"contend {' '.join(ours)}: argv untouched")
    env.check(os.path.exists(os.path.join(env.workdir, ours[-1].split("=")[-1].removeprefix("-ox2.trace")
                                          or "x2.trace")), f"contend {' '.join(ours)}: trace written where asked")
env.check("trace" not in launch("-qo", "x6.trace", print_args).stderr, "-qo: quiet and output together")

for bad in (["--bogus"], ["-x"], ["--output"], ["-o"], ["--stats=maybe"], ["--output="]):
    run = launch(*bad, print_args)
    if bad in (["--output"], ["-o"]):  # the program's name is then taken as the file: no program left
        run = launch(*bad)
    env.check_eq((run.returncode, run.stdout), (125, ""), f"contend {bad[0]}: refused with 125, program not run")
    env.check(one_line(run.stderr) and run.stderr.startswith("contend: "), f"contend {bad[0]}: one line: {run.stderr!r}")
env.check("unknown option --bogus" in launch("--bogus", print_args).stderr, "an unknown option is named")

run = launch("--help")
env.check_eq(run.returncode, 0, "--help: exit 0")
for needle in ("Options end at PROGRAM", "125", "126", "127", "128 + N"):
    env.check(needle in run.stdout, f"--help documents {needle!r}")
run = launch("--version")
env.check_eq((run.returncode, run.stdout.startswith("contend ")), (0, True), f"--version: {run.stdout!r}")

# --- Why a program cannot run: one line, the shell's 126 / 127. ---
cases = os.path.join(env.workdir, "cases")
os.mkdir(cases)


def make(name, content, mode):
    path = os.path.join(cases, name)
    with open(path, "wb") as f:
        f.write(content)
    os.chmod(path, mode)
    return path


make("plain", b"#!/bin/sh\necho plain\n", 0o644)
make("bad_interp", b"#!/nonexistent/interp -x\necho hi\n", 0o755)
make("dos", b"#!/bin/sh\r\necho hi\r\n", 0o755)
make("binary", b"\x7fXYZ\x00\x01\x02 not a program", 0o755)
make("no_shebang", b"echo no-shebang \"$@\"\n", 0o755)
os.mkdir(os.path.join(cases, "subdir"))
path_dir = os.path.join(env.workdir, "path_dir")
os.mkdir(path_dir)
make_on_path = os.path.join(path_dir, "tool_not_executable")
with open(make_on_path, "w") as f:
    f.write("#!/bin/sh\n")
os.chmod(make_on_path, 0o644)

expect = [
    (["./plain"], 126, "./plain: not executable"),
    (["./subdir"], 126, "./subdir: is a directory"),
    (["./missing"], 127, "./missing: no such file"),
    (["./bad_interp"], 127, "./bad_interp: bad interpreter /nonexistent/interp: no such file"),
    (["./dos"], 127, "DOS line endings"),
    (["./binary"], 126, "./binary: cannot execute binary file"),
    (["no-such-program-anywhere"], 127, "no-such-program-anywhere: command not found in PATH"),
    (["tool_not_executable"], 126, f"tool_not_executable: {make_on_path} is not executable"),
]
for argv, code, message in expect:
    run = launch(*argv, cwd=cases, extra_env={"PATH": f"{path_dir}:{os.environ['PATH']}"})
    env.check_eq(run.returncode, code, f"contend {argv[0]}: exit status")
    env.check(one_line(run.stderr) and run.stderr.startswith("contend: ") and message in run.stderr,
              f"contend {argv[0]}: one line saying {message!r}: {run.stderr!r}")
    env.check_eq(os.listdir(cases).count("trace.bin"), 0, f"contend {argv[0]}: nothing ran, no trace")
# An ELF whose loader (PT_INTERP) does not exist: execve says ENOENT, as for a missing file.
with open(print_args, "rb") as f:
    image = f.read()
loader = b"/lib64/ld-linux-x86-64.so.2"
if env.check(loader in image, "print_args names the x86-64 loader"):
    make("foreign_loader", image.replace(loader, b"/lib64/ld-missing-x86.so.2", 1), 0o755)
    run = launch("./foreign_loader", cwd=cases)
    env.check_eq((run.returncode, run.stderr),
                 (127, "contend: ./foreign_loader: its loader /lib64/ld-missing-x86.so.2 is missing "
                       "(built for another system?)\n"), "ELF with a missing loader: 127, one line")
# exec itself fails (the file is open for writing: ETXTBSY): one line, the
# program did not run, no word about traces.
busy = make("busy", image, 0o755)
with open(busy, "ab") as writer:
    run = launch("./busy", cwd=cases)
env.check_eq((run.returncode, run.stderr), (126, "contend: ./busy: cannot run: Text file busy\n"),
             "exec failing after the checks: 126, one line")
# A program that exits 126 or 127 itself is not a launch failure.
for code in (126, 127):
    run = launch("-o", f"exit{code}.bin", "sh", "-c", f"exit {code}")
    env.check_eq((run.returncode, f"contend: 1 trace: exit{code}.bin\n" in run.stderr), (code, True),
                 f"the program's own exit {code} is passed on, its trace named")
# An executable text file without "#!" is a shell script, as for the shell and execvp.
run = launch("-q", "./no_shebang", "-x", "y", cwd=cases)
env.check_eq((run.returncode, run.stdout), (0, "no-shebang -x y\n"), "a script without #! runs under /bin/sh")

# --- A directory as output: one trace per process inside it. ---
name_in_dir = re.compile(r"contend\.(\d+)(\.\d+)?\.trace$")
out_dir = os.path.join(env.workdir, "out_dir")
os.mkdir(out_dir)
run = launch(env.program("handoff"), extra_env={"CONTEND_OUTPUT": out_dir})
inside = sorted(os.listdir(out_dir))
env.check(len(inside) == 1 and name_in_dir.match(inside[0]), f"CONTEND_OUTPUT=dir: one trace inside it: {inside}")
env.check_eq(sorted(glob.glob(out_dir + ".*")), [], "CONTEND_OUTPUT=dir: nothing written beside the directory")
if inside:
    trace = os.path.join(out_dir, inside[0])
    env.check(f"contend: 1 trace: {trace}\n" in run.stderr, f"CONTEND_OUTPUT=dir: the launcher names it: {run.stderr!r}")
    r = env.report_json([trace])
    env.check(r is not None and r["locks"][0]["contended"] == 10, "CONTEND_OUTPUT=dir: the trace has the contention")
    env.check_eq(int(name_in_dir.match(inside[0]).group(1)), r["processes"][0]["pid"] if r else None,
                 "CONTEND_OUTPUT=dir: the file is named by the pid")

fork_dir = os.path.join(env.workdir, "fork_dir")
os.mkdir(fork_dir)
run = launch("-o", fork_dir + "/", env.program("fork_contention"))
inside = sorted(os.listdir(fork_dir))
env.check(len(inside) == 2 and all(name_in_dir.match(n) for n in inside), f"-o dir/ with a fork: two traces: {inside}")
env.check("contend: 2 traces" in run.stderr, f"-o dir/: both traces named: {run.stderr!r}")
env.check_eq(run.stderr.count(fork_dir + "/contend."), 2 + 1 + 2, "-o dir/: two lines, the busiest, all of them")

# --- Wrappers: the launcher leads to the process that did the work. ---
summary_line = re.compile(r"^contend:   (\S+) +pid (\d+) +(.+?) +(no lock activity|\d+ acquisitions, \d+ contended, "
                          r"\S+ \S+ waited)$", re.M)
handoff = env.program("handoff")
wrappers = [["env", "X=1", handoff], ["sh", "-c", handoff], ["sh", "-c", f"{handoff}; true"],
            ["timeout", "60", handoff], ["time", handoff]]
for n, wrapper in enumerate(wrappers):
    trace = f"wrapped{n}.bin"
    run = launch("-o", trace, *wrapper)
    what = f"contend {' '.join(wrapper)}"
    env.check_eq(run.returncode, 0, f"{what}: exit status")
    family = sorted(os.path.basename(p) for p in env.traces(trace + "*"))
    env.check(len(family) >= 2, f"{what}: the wrapper's trace and the program's: {family}")
    env.check(f"contend: {len(family)} traces, one per process image:\n" in run.stderr,
              f"{what}: family counted: {run.stderr!r}")
    lines = summary_line.findall(run.stderr)
    env.check_eq(sorted(l[0] for l in lines), family, f"{what}: one summary line per trace")
    busy = [l for l in lines if l[3] != "no lock activity"]
    env.check(len(busy) == 1 and busy[0][2] == "handoff" and busy[0][3].startswith("20 acquisitions, 10 contended, "),
              f"{what}: handoff's line has its counts, the others none: {lines}")
    env.check(all(l[2].startswith(wrapper[0] + " ") for l in lines if l not in busy),
              f"{what}: the other lines are the wrapper's: {lines}")
    busiest = re.search(r"^contend: most lock activity: pid (\d+) \(handoff\): contend-report (\S+)$", run.stderr,
                        re.M)
    if not env.check(busiest is not None, f"{what}: points at the program's trace: {run.stderr!r}"):
        continue
    r = env.report_json([os.path.join(env.workdir, busiest.group(2))])
    env.check(r is not None and r["summary"]["contended"] == 10 and r["processes"][0]["exe"] == handoff,
              f"{what}: the trace pointed at is handoff's, with its 10 contended acquisitions")
    env.check_eq(str(r["processes"][0]["pid"]) if r else None, busiest.group(1), f"{what}: the pid named is its pid")
    env.check_eq(busy[0][:2] if busy else None, (busiest.group(2), busiest.group(1)), f"{what}: the line agrees")
    env.check(f"contend: report all of them with: contend-report {' '.join(family)}\n" in run.stderr,
              f"{what}: the command that reads them all")

# Many processes (a shim, a script): the ones with lock activity, and a count of the rest.
script = "i=0; while [ $i -lt 12 ]; do /usr/bin/true; i=$((i+1)); done; " + handoff
run = launch("-o", "many.bin", "sh", "-c", script)
family = sorted(os.path.basename(p) for p in env.traces("many.bin*"))
env.check(len(family) >= 13, f"sh running 13 programs: a trace each at least ({len(family)})")
lines = summary_line.findall(run.stderr)
env.check(len(lines) == 1 and lines[0][2] == "handoff", f"many traces: only handoff's listed: {lines}")
env.check(f"contend:   ... and {len(family) - 1} more, without lock activity\n" in run.stderr,
          f"many traces: the rest counted: {run.stderr!r}")
if lines:
    env.check(f"contend: report those with lock activity (1) with: contend-report {lines[0][0]}\n" in run.stderr,
              "many traces: the report command names the one that matters")

run = launch("-o", "f.bin", env.program("fork_contention"))
env.check_eq(run.returncode, 0, "fork: exit status")
family = sorted(os.path.basename(p) for p in env.traces("f.bin*"))
env.check(len(family) == 2 and f"contend: report all of them with: contend-report {' '.join(family)}\n" in run.stderr,
          f"fork: both traces named: {run.stderr!r}")
parent = env.report_json([os.path.join(env.workdir, "f.bin")])
env.check(parent is not None and f"most lock activity: pid {parent['processes'][0]['pid']} (fork_contention): "
          "contend-report f.bin\n" in run.stderr, "fork: the parent (5 rounds against 4) is the busiest")
env.finish()
