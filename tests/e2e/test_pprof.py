"""contend-report -f pprof, read by the real consumer: `go tool pprof`
(Debian's golang-go) must agree with contend-report's own JSON report on
the totals (contentions, delay, hold), the top call site, its file and
line, the labels (lock, kind, thread) and the inlined frames."""

import gzip
import os
import re
import shutil
import subprocess

from contend_e2e import Env

env = Env()
go = shutil.which("go") or "/usr/lib/go/bin/go"


def pprof(profile, *args):
    out = subprocess.run([go, "tool", "pprof", *args, profile], capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, HOME=env.workdir, PPROF_TMPDIR=env.workdir))
    env.check(out.returncode == 0, f"go tool pprof {' '.join(args)}: exit {out.returncode} {out.stderr[-300:]}")
    return out.stdout


def total(top_output):
    # "Showing nodes accounting for 202020764ns, 100% of 202020764ns total"
    m = re.search(r"of (\d+)(ns)? total", top_output)
    return int(m.group(1)) if m else None


def top_rows(top_output):
    rows = []
    started = False
    for line in top_output.splitlines():
        if line.strip().startswith("flat"):
            started = True
            continue
        if started and line.strip():
            rows.append(line.split())
    return rows


def traces(traces_output):
    """-traces: [(labels dict, value, [frame lines])] per sample."""
    samples = []
    for block in traces_output.split("-----------+")[1:]:
        labels, value, frames = {}, None, []
        for line in block.splitlines()[1:]:
            m = re.match(r"\s*(\w+):\s+(.*)$", line)
            if m and value is None:
                labels[m.group(1)] = m.group(2).strip()
                continue
            parts = line.split()
            if not parts:
                continue
            if value is None:
                value = int(parts[0])
                frames.append(" ".join(parts[1:]))
            else:
                frames.append(line.strip())
        if value is not None:
            samples.append((labels, value, frames))
    return samples


def short(name):
    """A function name as pprof shows it: without (...) and <...> groups
    (so "(anonymous namespace)::operator()" reads "::operator")."""
    out, depth = "", 0
    for c in name.replace(" (inline)", ""):
        if c in "(<":
            depth += 1
        elif c in ")>":
            depth = max(0, depth - 1)
        elif depth == 0:
            out += c
    return out.strip()


def top_function(top_output):
    row = top_rows(top_output)[0]
    return short(" ".join(row[5:]))


def profile_of(trace, name):
    path = os.path.join(env.workdir, name)
    out = subprocess.run([env.report, "-f", "pprof", trace], capture_output=True, timeout=120)
    env.check_eq(out.returncode, 0, f"{name}: contend-report -f pprof exit code")
    with open(path, "wb") as f:
        f.write(out.stdout)
    env.check_eq(out.stdout[:2], b"\x1f\x8b", f"{name}: gzip magic")
    env.check(len(gzip.decompress(out.stdout)) > 0, f"{name}: gunzips")
    return path


# 1. handoff (with line tables): 10 waits, all in worker().
run = env.run([env.program("handoff_debuginfo")], trace="handoff.trace")
env.check_eq(run.returncode, 0, "handoff ran")
trace = env.traces("handoff.trace*")[0]
report = env.report_json([trace])
lock = report["locks"][0]
site = lock["waiter_sites"][0]
profile = profile_of(trace, "handoff.pb.gz")

contentions = pprof(profile, "-top", "-sample_index=contentions")
env.check_eq(total(contentions), report["summary"]["contended"], "contentions total = report's contended")
env.check_eq(total(contentions), lock["wait_ns"]["count"], "contentions total = waits")
delay = pprof(profile, "-top", "-unit=ns")
env.check("Type: delay" in delay, "delay is the default sample type")
env.check_eq(total(delay), report["summary"]["wait_ns"], "delay total (ns) = report's total wait")
rows = top_rows(delay)
env.check_eq(top_function(delay), site["function"], "top flat function = report's top waiting site")
env.check_eq(int(rows[0][0].rstrip("ns")), site["wait_ns"], "top site's delay = report's")
lines = pprof(profile, "-top", "-lines", "-unit=ns")
first = top_rows(lines)[0]
env.check(first[-2] == site["function"] and first[-1].endswith(f"{os.path.basename(site['file'])}:{site['line']}"),
          f"top line {first[-2:]} = {site['function']} {os.path.basename(site['file'])}:{site['line']}")
samples = traces(pprof(profile, "-traces", "-sample_index=contentions"))
waits = [s for s in samples if s[1] > 0]
env.check_eq(sum(s[1] for s in waits), 10, "-traces: contentions sum to the waits")
env.check(all(s[0].get("lock") == lock["name"] and s[0].get("kind") == "mutex" for s in waits),
          f"-traces: lock and kind labels ({waits[0][0] if waits else None})")
env.check(all(s[0].get("lock_address") == lock["address"] for s in waits), "-traces: lock_address label")
env.check(all("thread" in s[0] and "tid" in s[0] for s in waits), "-traces: thread and tid labels")
env.check(all(s[2][0].startswith(site["function"]) for s in waits), "-traces: leaf frame is the waiting site")

# 2. Locks of every naming kind, C++ with inlined std::mutex calls, a plugin.
run = env.run([env.program("lock_names"), env.program("libplugin_locks.so")], trace="names.trace")
env.check_eq(run.returncode, 0, "lock_names ran")
trace = env.traces("names.trace*")[0]
report = env.report_json([trace], "--top", "1000")
profile = profile_of(trace, "names.pb.gz")
env.check_eq(total(pprof(profile, "-top", "-unit=ns")), report["summary"]["wait_ns"], "names: delay total")
waits = sum(l["wait_ns"]["count"] for l in report["locks"])
env.check_eq(total(pprof(profile, "-top", "-sample_index=contentions")), waits, "names: contentions total")
env.check_eq(top_function(pprof(profile, "-top", "-unit=ns")), short(report["sites"][0]["function"]),
             "names: top flat function = report's top site")
tags = pprof(profile, "-tags")
for l in report["locks"]:
    env.check(l["name"] in tags, f"names: lock label {l['name']!r}")
samples = traces(pprof(profile, "-traces", "-lines", "-sample_index=contentions"))
inlined = [f for s in samples for f in s[2] if f.endswith("(inline)") and "lock_names.cpp:" in f]
env.check(len(inlined) > 0, f"names: inlined frames with file:line ({inlined[:1]})")
# The leaf is the program's code, never the lock implementation.
leaves = {s[2][0].split()[0] for s in samples if s[1] > 0}
env.check(not any(x.startswith(("pthread_", "std::mutex", "__gthread")) for x in leaves),
          f"names: no lock implementation at the leaf ({sorted(leaves)})")

# 3. Sampled holds: the third sample type, by acquiring site.
run = env.run([env.program("hold_sites")], trace="holds.trace",
              env={"CONTEND_HOLD_SAMPLE": "1", "CONTEND_HOLD_RATE": "100000000"})
env.check_eq(run.returncode, 0, "hold_sites ran")
trace = env.traces("holds.trace*")[0]
report = env.report_json([trace], "--top", "1000")
profile = profile_of(trace, "holds.pb.gz")
hold_ns = sum(l["hold_ns"]["total"] for l in report["locks"])
hold = total(pprof(profile, "-top", "-sample_index=hold", "-unit=ns"))
env.check(hold_ns > 0 and hold == hold_ns, f"hold total {hold} ns = report's {hold_ns}")
top_hold = top_function(pprof(profile, "-top", "-sample_index=hold", "-unit=ns"))
env.check_eq(top_hold, report["locks"][0]["hold_sites"][0]["function"], "top hold site = report's")

env.finish()
