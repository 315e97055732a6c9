"""Output files: never through a symlink, never into an unwritable place,
one warning and the program runs normally; a bad setting warns once."""

import os

from contend_e2e import Env

env = Env()
prog = env.program("handoff")
plain = env.run([prog], preload=False)

victim = os.path.join(env.workdir, "victim")
with open(victim, "w") as f:
    f.write("precious")
os.symlink(victim, os.path.join(env.workdir, "trace.bin"))
run = env.run([prog])
env.check_eq((run.returncode, run.stdout), (plain.returncode, plain.stdout), "symlink: program unaffected")
env.check_eq(run.stderr.count("\n"), 1, f"symlink: one warning: {run.stderr!r}")
env.check("is a symbolic link; refusing to follow it" in run.stderr, "symlink: says why")
env.check_eq(open(victim).read(), "precious", "symlink: target untouched")
os.remove(os.path.join(env.workdir, "trace.bin"))

run = env.run([prog], env={"CONTEND_OUTPUT": "/proc/no-such-dir/trace.bin"})
env.check_eq((run.returncode, run.stdout), (plain.returncode, plain.stdout), "unwritable: program unaffected")
env.check_eq(run.stderr.count("\n"), 1, f"unwritable: one warning: {run.stderr!r}")
env.check("cannot create trace file" in run.stderr, "unwritable: says why")

run = env.run([prog], env={"CONTEND_RING_KB": "lots"})
env.check_eq(run.returncode, 0, "bad setting: program unaffected")
env.check_eq(run.stderr, "contend: CONTEND_RING_KB='lots' is not a power of two in [16, 1048576]; using 512\n",
             "bad setting: one warning line")
env.check_eq(len(env.traces()), 1, "bad setting: still recorded with the default")

# A second run moves the first trace aside, as perf does.
env.clean_traces()
env.run([prog])
first = os.stat(os.path.join(env.workdir, "trace.bin")).st_ino
env.run([prog])
env.check(os.path.exists(os.path.join(env.workdir, "trace.bin.old")), "re-run: previous trace kept as .old")
env.check_eq(os.stat(os.path.join(env.workdir, "trace.bin.old")).st_ino, first, "re-run: .old is the first trace")
env.check_eq(oct(os.stat(os.path.join(env.workdir, "trace.bin")).st_mode & 0o777), "0o600", "trace mode 0600")
env.finish()
