"""Prometheus text format, checked by Debian's promtool and against the
report: `contend-report -f prometheus` (top N plus "other"), and the live
file CONTEND_PROM_FILE that the recorder's drain rewrites while the program
runs (atomically, mode 0600, never following a planted symlink) and once
more at exit."""

import os
import re
import shutil
import signal
import stat
import subprocess
import time

from contend_e2e import Env

env = Env()
promtool = shutil.which("promtool") or "/usr/bin/promtool"


def check_metrics(text, what):
    out = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=60)
    env.check(out.returncode == 0, f"{what}: promtool check metrics: exit {out.returncode} {out.stdout}{out.stderr}")


def samples(text):
    """{name: [(labels dict, value)]}"""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.match(r'^(\w+)(?:\{(.*)\})? (\S+)$', line)
        if not env.check(m is not None, f"parses: {line[:80]}"):
            continue
        labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(2) or ""))
        out.setdefault(m.group(1), []).append((labels, float(m.group(3))))
    return out


def total(s, name, **match):
    return sum(v for labels, v in s.get(name, []) if all(labels.get(k) == x for k, x in match.items()))


# 1. Offline, from a trace with 8 locks: the top 2 and "other".
run = env.run([env.program("lock_names"), env.program("libplugin_locks.so")], trace="names.trace",
              env={"CONTEND_PROM_FILE": os.path.join(env.workdir, "names.%p.prom")})
env.check_eq(run.returncode, 0, "lock_names ran")
trace = env.traces("names.trace*")[0]
report = env.report_json([trace], "--top", "1000")
summary = report["summary"]
out = subprocess.run([env.report, "-f", "prometheus", "--top", "2", "--sites", "1", trace], capture_output=True,
                     text=True, timeout=120)
env.check_eq(out.returncode, 0, "contend-report -f prometheus exit code")
check_metrics(out.stdout, "offline")
s = samples(out.stdout)
locks = {l["lock"] for l, _ in s["contend_lock_acquisitions_total"]}
env.check("other" in locks and len(locks - {"other"}) <= 2, f"top 2 locks plus other: {sorted(locks)}")
env.check_eq(int(total(s, "contend_lock_acquisitions_total")), summary["acquisitions"], "acquisitions sum")
env.check_eq(int(total(s, "contend_lock_contended_total")), summary["contended"], "contended sum")
env.check(abs(total(s, "contend_lock_wait_seconds_total") * 1e9 - summary["wait_ns"]) < 10,
          f"wait seconds sum = report's {summary['wait_ns']} ns")
waits = sum(l["wait_ns"]["count"] for l in report["locks"])
env.check_eq(int(total(s, "contend_lock_wait_duration_seconds_count")), waits, "histogram count = waits")
env.check_eq(int(total(s, "contend_lock_wait_duration_seconds_bucket", le="+Inf")), waits, "+Inf bucket = waits")
env.check_eq(int(total(s, "contend_site_waits_total")), waits, "site waits sum = waits")
top = report["locks"][0]
env.check_eq(int(total(s, "contend_lock_contended_total", lock=top["name"])), top["contended"], "top lock's series")
sites = {l["site"] for l, _ in s["contend_site_waits_total"] if l["lock"] == top["name"]}
expected = {top["waiter_sites"][0]["label"]} | ({"other"} if len(top["waiter_sites"]) > 1 else set())
env.check_eq(sites, expected, "--sites 1: the top site, and other")

# 2. The live file the same run wrote at exit: the recorder's own counts,
# equal to the report's; the annotated lock by its name.
live_path = os.path.join(env.workdir, f"names.{report['processes'][0]['pid']}.prom")
env.check(os.path.exists(live_path), "live file written at exit, %p as the pid")
live = open(live_path).read()
check_metrics(live, "live, at exit")
env.check_eq(stat.S_IMODE(os.stat(live_path).st_mode), 0o600, "live file mode 0600")
s = samples(live)
env.check_eq(int(total(s, "contend_lock_acquisitions_total")), summary["acquisitions"], "live acquisitions")
env.check_eq(int(total(s, "contend_lock_contended_total")), summary["contended"], "live contended")
live_wait = total(s, "contend_lock_wait_seconds_total") * 1e9
env.check(abs(live_wait - summary["wait_ns"]) <= 0.01 * summary["wait_ns"],
          f"live wait {live_wait:.0f} ns = report's {summary['wait_ns']} (1%: clock calibration)")
env.check_eq(int(total(s, "contend_lock_wait_duration_seconds_count")), waits, "live wait count")
addresses = {l["address"] for l in report["locks"]}
live_addresses = {l["address"] for l, _ in s["contend_lock_acquisitions_total"] if "address" in l}
env.check(live_addresses <= addresses and len(live_addresses) > 0, "live address labels are the report's")
env.check(any(l["lock"] == "shared_pool.alloc_lock" for l, _ in s["contend_lock_acquisitions_total"]),
          "annotated lock by its name")
info = s["contend_process_info"][0][0]
env.check_eq(info.get("trace"), trace, "contend_process_info names the trace")
env.check_eq([p for p in os.listdir(env.workdir) if ".tmp." in p], [], "no temporary file left")

# 3. While the program runs: rewritten every CONTEND_PROM_MS, counters
# growing; a planted symlink at the path is replaced, never followed.
victim = os.path.join(env.workdir, "victim.txt")
with open(victim, "w") as f:
    f.write("keep me\n")
steady = os.path.join(env.workdir, "steady.prom")
os.symlink(victim, steady)
full_env = dict(os.environ, LD_PRELOAD=env.lib, CONTEND_OUTPUT=os.path.join(env.workdir, "steady.trace"),
                CONTEND_PROM_FILE=steady, CONTEND_PROM_MS="200")
proc = subprocess.Popen([env.program("steady_handoff")], env=full_env, cwd=env.workdir, stdout=subprocess.PIPE)
snapshots = []
deadline = time.time() + 30
while len(snapshots) < 2 and time.time() < deadline:
    time.sleep(0.25)
    if os.path.islink(steady) or not os.path.exists(steady):
        continue
    text = open(steady).read()
    if not snapshots or text != snapshots[-1]:
        snapshots.append(text)
proc.send_signal(signal.SIGKILL)
proc.wait()
env.check_eq(len(snapshots), 2, "rewritten while running")
env.check_eq(open(victim).read(), "keep me\n", "the symlink's target is untouched")
env.check(not os.path.islink(steady), "the symlink itself was replaced")
if len(snapshots) == 2:
    for i, text in enumerate(snapshots):
        check_metrics(text, f"live, running, snapshot {i}")
    a, b = samples(snapshots[0]), samples(snapshots[1])
    env.check(total(b, "contend_lock_acquisitions_total") > total(a, "contend_lock_acquisitions_total") > 0,
              "acquisitions grow between rewrites")
    env.check(total(b, "contend_lock_wait_seconds_total") >= total(a, "contend_lock_wait_seconds_total"),
              "wait seconds never go back")
    env.check_eq(total(b, "contend_threads"), 3.0, "three profiled threads running")

env.finish()
