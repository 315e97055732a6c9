"""Outputs read by other programs, checked with those programs:
-f perfetto (Chrome trace-event JSON) loaded by speedscope, a trace viewer
from npm, in Debian's Chromium; -f html opened in Chromium, its rendered
page read back; and the time line of kvstore --scaling, one phase per
thread count. The browser side is tests/browser/ (npm ci there:
scripts/install-deps.sh)."""

import json
import os
import re
import subprocess

import json_schema
from contend_e2e import Env

env = Env()
browser = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "browser")


def report(*args):
    out = subprocess.run([env.report, *args], capture_output=True, text=True, timeout=300)
    env.check_eq(out.returncode, 0, f"contend-report {' '.join(args[:2])}: exit code ({out.stderr.strip()[:200]})")
    return out.stdout


def node(script, *args):
    out = subprocess.run(["node", script, *args], cwd=browser, capture_output=True, text=True, timeout=300)
    env.check_eq(out.returncode, 0, f"node {script}: exit code ({out.stderr.strip()[-400:]})")
    return json.loads(out.stdout) if out.returncode == 0 else {}


# A forked family: parent and child each hand a lock over, 10 ms a round
# (parent: g_before 2 rounds, g_parent 3; child: g_child 4).
run = env.run([env.program("fork_contention")])
env.check_eq(run.returncode, 0, "fork_contention ran")
traces = env.traces()
env.check_eq(len(traces), 2, "two traces")
summary = json.loads(report("-f", "json", "--top", "100", *traces))
parent_pid = min(p["pid"] for p in summary["processes"] if p["ppid"] not in [q["pid"] for q in summary["processes"]])
child_pid = [p["pid"] for p in summary["processes"] if p["pid"] != parent_pid][0]

# ---- --from/--to ----
whole = json.loads(report("-f", "json", "--from", "0", "--to", "3600s", *traces))["summary"]
env.check_eq((whole["wait_ns"], whole["contended"]), (summary["summary"]["wait_ns"], summary["summary"]["contended"]),
             "a window over the whole run reports the whole run")
none = json.loads(report("-f", "json", "--to", "1us", *traces))["summary"]
env.check_eq((none["wait_ns"], none["contended"]), (0, 0), "a window before any wait reports none")
bad = subprocess.run([env.report, "--from", "2s", "--to", "1s", *traces], capture_output=True, text=True)
env.check_eq(bad.returncode, 1, "--to before --from: exit 1")

# ---- -f perfetto: the file itself ----
trace_json = os.path.join(env.workdir, "family.json")
with open(trace_json, "w") as f:
    f.write(report("-f", "perfetto", *traces))
with open(trace_json) as f:
    doc = json.load(f)
events = doc["traceEvents"]
waits = [e for e in events if e["ph"] == "X" and e["cat"] == "wait"]
env.check_eq(len(waits), 2 + 3 + 4, "one slice per wait")
env.check_eq(sorted({e["name"] for e in waits}), ["g_before", "g_child", "g_parent"], "slices named by lock")
env.check(all("handoff_worker" in e["args"]["site"] for e in waits), "each slice names its call site")
env.check(all(9000 <= e["dur"] <= 200000 for e in waits), "each wait lasts about a 10 ms hold (us)")
env.check_eq(sorted({e["pid"] for e in waits if e["name"] == "g_child"}), [child_pid], "the child's waits on its track")
names = {(e["pid"], e["tid"]): e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "thread_name"}
for t in summary["threads"]:
    env.check((t["pid"], t["tid"]) in names, f"thread {t['tid']} of pid {t['pid']} has a named track")
procs = {e["pid"]: e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "process_name"}
env.check_eq(procs, {parent_pid: "fork_contention", child_pid: "fork_contention"}, "one process track per process")
starts = {e["pid"]: e for e in events if e["ph"] == "i" and e["name"] == "process start"}
env.check_eq(starts.get(child_pid, {}).get("args", {}).get("ppid"), parent_pid, "the child starts, forked by the parent")
env.check(starts[child_pid]["ts"] > starts[parent_pid]["ts"], "the child starts after its parent, on one clock")

# ---- -f perfetto: loaded by a trace viewer ----
seen = node("load_trace.js", trace_json, os.path.join(env.workdir, "speedscope.png"))
env.check_eq(seen.get("importer"), "Trace Event Format profile", "speedscope reads it as trace-event JSON")
env.check_eq(seen.get("errors"), [], "speedscope: no errors")
env.check_eq(seen.get("requests"), [], "speedscope: nothing fetched")
profiles = {p["name"]: p for p in seen.get("profiles", [])}
for t in summary["threads"]:
    if t["lock_wait_ns"] == 0:
        continue
    label = f"fork_contention (pid {t['pid']}), {t['name']} (tid {t['tid']})"
    shown = profiles.get(label)
    env.check(shown is not None, f"speedscope shows the track {label!r} (of {sorted(profiles)})")
    if shown:
        # Shown with 4 significant digits.
        env.check(abs(shown["total_ns"] - t["lock_wait_ns"]) <= t["lock_wait_ns"] * 0.002,
                  f"tid {t['tid']}: speedscope's total {shown['shown']} is the report's lock wait {t['lock_wait_ns']} ns")
env.check(any(s.startswith("g_") for s in seen.get("symbols", [])), "speedscope lists slices by lock name")

# ---- -f html ----
html_path = os.path.join(env.workdir, "report.html")
html = report("-f", "html", *traces)
with open(html_path, "w") as f:
    f.write(html)
env.check(not re.search(r"<script[^>]+src=|<link[^>]+href=|@import|url\(", html), "no external script, style or font")
env.check(not re.search(r"https?://(?!www\.w3\.org/2000/svg)", html), "no address outside the page (but the SVG namespace)")
page = node("check_html.js", html_path, os.path.join(env.workdir, "report.png"))
env.check_eq(page.get("errors"), [], "HTML: no console errors")
env.check_eq(page.get("requests"), [], "HTML: nothing fetched")
table = report(*traces)
top = summary["locks"][0]
env.check_eq(top["name"], "g_child", "the child's lock waited most (4 rounds)")
rows = page.get("lock_rows", [])
env.check(len(rows) == 3 and rows[0][1] == top["name"], f"HTML: the top lock first in its table ({rows[:1]})")
env.check_eq(page.get("lock_details", [None])[0], top["name"], "HTML: the top lock's details")
env.check(all("handoff_worker" in s or "handoff_run" in s for s in page.get("sites", [])) and page.get("sites"),
          "HTML: the top lock's call sites and holders")
facts = page.get("facts", {})
wait_text = re.search(r"total lock wait (\S+ \S+)", table).group(1)
contended = re.search(r"acquisitions, (\S+) contended", table).group(1)
env.check_eq(facts.get("wait"), wait_text, "HTML: total lock wait as the table report says")
env.check_eq(facts.get("contended", "").split(" ")[0], contended, "HTML: contended as the table report says")
env.check_eq(facts.get("threads"), str(summary["summary"]["threads"]), "HTML: threads")
frames = page.get("frames", [])
env.check("[mutex g_child]" in frames and "handoff_worker" in frames, "HTML: the flame graph draws the stacks")
zoom = page.get("zoom", {})
env.check(zoom.get("after") == "100%" and zoom.get("before") != "100%", f"HTML: a click zooms to a frame {zoom}")
env.check(page.get("bars", 0) >= 10, "HTML: the time line's bars")
env.check(len(page.get("phases", [])) >= 1, "HTML: the phases")
env.check("0 dropped events" in page.get("quality", []), "HTML: the data-quality footer")
env.check(os.path.getsize(os.path.join(env.workdir, "report.png")) > 10000, "HTML: a screenshot")

# ---- the time line of kvstore --scaling: one phase per thread count ----
kvstore = os.path.join(os.path.dirname(env.report), "kvstore")
env.clean_traces()
run = env.run([kvstore, "--scaling", "--batches", "40"])
env.check_eq(run.returncode, 0, "kvstore --scaling ran")
counts = [int(m) for m in re.findall(r"^\s+(\d+)\s+\d+\s+[\d.]+x", run.stdout, re.M)]
doc = json.loads(report("-f", "json", "--view", "time", *env.traces()))
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "report.schema.json")) as f:
    problems = json_schema.errors(doc, json.load(f))
env.check(not problems, f"--view time JSON matches docs/report.schema.json: {problems[:3]}")
timeline = doc["timeline"]
steady = []  # a burst may split a steady state in two
for p in timeline["phases"]:
    if p["name"].startswith("steady state") and (not steady or steady[-1] != p["name"]):
        steady.append(p["name"])
env.check_eq(steady, [f"steady state ({n + 1} threads)" for n in counts],
             f"one steady state per thread count {counts} (workers and the client)")
# Ticks become nanoseconds per bucket there and per lock here: 1 ns apart each.
total = json.loads(report("-f", "json", *env.traces()))["summary"]["wait_ns"]
summed = sum(i["wait_ns"] for i in timeline["intervals"])
env.check(total > 0 and abs(summed - total) <= 1024, f"the intervals sum to the wait: {summed} ~ {total}")
text = report("--view", "time", *env.traces())
env.check(f"{len(timeline['phases'])} phase" in text and "Time line, " in text, "--view time as a table")

env.finish()
