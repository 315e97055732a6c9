"""contend-report's command line: help, version, bad flags, and damaged
traces made from a real one: one clear line and the documented exit code."""

import os
import subprocess

from contend_e2e import Env

env = Env()


def report(*args):
    return subprocess.run([env.report, *args], capture_output=True, text=True, timeout=60)


help_ = report("--help")
env.check_eq(help_.returncode, 0, "--help exit code")
env.check("--format" in help_.stdout and "--top" in help_.stdout, "--help lists the options")
version = report("--version")
env.check_eq(version.returncode, 0, "--version exit code")
env.check(version.stdout.startswith("contend-report "), f"--version prints the version: {version.stdout!r}")

bad_flag = report("--no-such-flag", "x")
env.check_eq(bad_flag.returncode, 1, "unknown flag exits 1")
env.check(bad_flag.stderr.startswith("contend-report: "), f"unknown flag message: {bad_flag.stderr!r}")
env.check_eq(bad_flag.stderr.count("\n"), 1, "unknown flag: one line")
bad_format = report("--format", "xml", "x")
env.check_eq(bad_format.returncode, 1, "unknown format exits 1")
env.check_eq(bad_format.stderr, "contend-report: unknown format 'xml' (one of: table, json, csv, folded, pprof, prometheus, perfetto, "
                 "html)\n",
             "unknown format: says which formats exist")
no_args = report()
env.check_eq(no_args.returncode, 1, "no trace exits 1")

missing = report(os.path.join(env.workdir, "missing.bin"))
env.check_eq(missing.returncode, 2, "missing file exits 2")
env.check_eq(missing.stderr.strip().count("\n"), 0, "missing file: one line")
env.check("No such file or directory" in missing.stderr, f"missing file message: {missing.stderr!r}")

# A real trace to damage.
run = env.run([env.program("handoff")])
env.check_eq(run.returncode, 0, "handoff ran")
good = env.traces()[0]
data = open(good, "rb").read()


def variant(name, content):
    path = os.path.join(env.workdir, name)
    with open(path, "wb") as f:
        f.write(content)
    return path


# Record offsets and kinds, from the dump: "offset index KIND ...".
dump = report("--dump", good)
records = [(int(f[0]), f[2]) for f in (line.split() for line in dump.stdout.splitlines()
                                        if line and not line.startswith("#"))]
env.check(len(records) > 20, f"dump lists the records ({len(records)})")

# Truncated in the middle of the fourth record: a report of what is there.
fourth, fourth_kind = records[3]
r = report(variant("cut.bin", data[: fourth + 10]))
env.check_eq(r.returncode, 0, "truncated trace still reports")
env.check(f"truncated at byte {fourth} in record 3 (kind {fourth_kind})" in r.stderr,
          f"truncation warning with offset: {r.stderr!r}")
env.check("WARNING: this report is missing data" in r.stdout, "the table says data is missing")

# A corrupt record: exit 2, one line with the offset.
second = records[1][0]
corrupt = bytearray(data)
corrupt[second] = 0x00  # second record's sync byte
r = report(variant("corrupt.bin", bytes(corrupt)))
env.check_eq(r.returncode, 2, "corrupt trace exits 2")
env.check_eq(r.stderr.count("\n"), 1, "corrupt trace: one line")
env.check(f"corrupt record 1 (bad sync byte 0x00) at byte {second}" in r.stderr, r.stderr.strip())

# A newer format version.
newer = bytearray(data)
newer[8] = 9
r = report(variant("newer.bin", bytes(newer)))
env.check_eq(r.returncode, 2, "newer version exits 2")
env.check("format version 9 is newer" in r.stderr, r.stderr.strip())

# Not a trace at all.
r = report(variant("text.bin", b"hello world, this is not a trace at all" * 4))
env.check_eq(r.returncode, 2, "foreign file exits 2")
env.check("not a contend trace" in r.stderr, r.stderr.strip())

# Empty file.
r = report(variant("empty.bin", b""))
env.check_eq(r.returncode, 2, "empty file exits 2")
env.check("empty: the process ended before writing the file header" in r.stderr, r.stderr.strip())

# The dump lists every record.
env.check_eq(dump.returncode, 0, "--dump exit code")
env.check_eq(sum(1 for _, kind in records if kind == "WAIT"), 10, "--dump shows the 10 waits")
env.check_eq(records[-1][1], "FOOTER", "--dump ends with the footer")

# --thread for a thread no trace has is an error, as --pid is.
r = report("--thread", "999999", good)
env.check_eq(r.returncode, 2, "--thread of no thread exits 2")
env.check_eq(r.stderr, "contend-report: thread 999999: no such thread in the traces given\n",
             "--thread of no thread: one line")

# The same trace twice is one process.
import json  # noqa: E402

once = json.loads(report("-f", "json", good).stdout)
twice = report("-f", "json", good, good)
env.check_eq(json.loads(twice.stdout)["summary"]["acquisitions"], once["summary"]["acquisitions"],
             "the same trace given twice is counted once")
env.check("the same trace as" in twice.stderr and "counted once" in twice.stderr,
          f"the same trace twice: a warning ({twice.stderr.strip()!r})")

# Machine formats carry every lock; the table fits the terminal and lists
# only locks where threads waited.
env.clean_traces()
env.check_eq(env.run([env.program("lock_names")]).returncode, 0, "lock_names ran")
named = env.traces()
doc = json.loads(report("-f", "json", *named).stdout)
env.check(len(doc["locks"]) > 5, f"JSON carries every lock by default ({len(doc['locks'])})")
env.check_eq(len(json.loads(report("-f", "json", "--top", "2", *named).stdout)["locks"]), 2, "JSON --top 2: two")
csv_rows = report("-f", "csv", *named).stdout.strip().splitlines()
env.check_eq(len(csv_rows) - 1, len(doc["locks"]), "CSV carries every lock by default")


def widest(text):
    return max(len(line) for line in text.splitlines())


table = report(*named).stdout
env.check(widest(table) <= 120, f"the table fits 120 columns ({widest(table)})")
narrow = subprocess.run([env.report, *named], capture_output=True, text=True, env=dict(os.environ, COLUMNS="80"))
env.check(widest(narrow.stdout) <= 80, f"COLUMNS=80: the table fits 80 columns ({widest(narrow.stdout)})")
wide = report("--wide", *named).stdout
header = next((line for line in wide.splitlines() if " acquired " in line), "")
env.check(" hold max " in header, f"--wide: every column ({header.split()})")
env.clean_traces()
env.check_eq(env.run([env.program("preempted_hold"), "0"]).returncode, 0, "preempted_hold ran")
quiet = env.traces()
table = report(*quiet).stdout
env.check("Top 1 of 1 locks where threads waited (1 more never waited for)" in table,
          "a lock nobody waited for is not a hotspot")
env.check_eq(len(json.loads(report("-f", "json", *quiet).stdout)["locks"]), 2, "JSON still has it")

# A program rebuilt after profiling: its addresses mean nothing in the new
# file, so the report says so and shows module+offset, never wrong names.
import shutil  # noqa: E402

prog = os.path.join(env.workdir, "prog")
shutil.copy(env.program("handoff"), prog)
env.clean_traces()
env.check_eq(env.run([prog]).returncode, 0, "copied handoff ran")
before = env.report_json(env.traces())
labels = [s["label"] for s in before["locks"][0]["waiter_sites"]] if before else []
env.check(any("handoff" in label or "worker" in label for label in labels), f"symbolized while unchanged: {labels}")
# Same code, another build-id: were the file trusted anyway, the old names
# would come back.
image = open(prog, "rb").read()
note = image.find(b"GNU\0", image.find(b"\x03\x00\x00\x00GNU\0"))
env.check(note > 0, "found the build-id note")
build_id = image[note + 4 : note + 24]
with open(prog, "wb") as f:
    f.write(image[: note + 4] + bytes(b ^ 0xFF for b in build_id) + image[note + 24 :])
changed = report("--format", "json", *env.traces())
env.check_eq(changed.returncode, 0, "rebuilt program: still reports")
env.check("changed since it was profiled" in changed.stderr, f"rebuilt program warned: {changed.stderr!r}")
import json  # noqa: E402

after = json.loads(changed.stdout) if changed.returncode == 0 else {"locks": [{"waiter_sites": []}]}
after_labels = [s["label"] for s in after["locks"][0]["waiter_sites"]]
env.check(after_labels and all(label.startswith("prog+0x") for label in after_labels),
          f"rebuilt program: module+offset only: {after_labels}")
# A process killed between creating its trace and writing the header (a
# pool worker terminated right after fork) leaves an empty file: the rest of
# the run is still reported, the empty file named and counted as incomplete.
empty = os.path.join(env.workdir, "killed-at-birth.trace")
open(empty, "w").close()
both = report("-f", "json", *named, empty)
env.check_eq(both.returncode, 0, "an empty trace among others: the others are reported")
env.check("killed-at-birth.trace: empty, skipped" in both.stderr, f"the empty trace is named ({both.stderr.strip()})")
if both.returncode == 0:
    env.check_eq(json.loads(both.stdout)["summary"]["incomplete_traces"], 1, "the empty trace counts as incomplete")
alone = report(empty)
env.check_eq(alone.returncode, 2, "an empty trace alone: exit 2")
env.check(alone.stderr.strip().endswith("empty: the process ended before writing the file header"),
          f"an empty trace alone: one line ({alone.stderr.strip()})")
env.finish()
