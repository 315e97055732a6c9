"""What the recorder counted but could not record reaches the report
(QUALITY records): locks the shared lock registry had no room for, and
records that never reached the trace file (at the file size limit the count
is still written, into the reserve kept below it)."""

import os
import resource
import subprocess

from contend_e2e import Env

env = Env()
prog = env.program("many_distinct_locks")

# A registry of 1024 entries and 3000 distinct locks: at least 1976 locks
# have no identity (more when probe windows fill first), every acquisition
# is still counted.
for registry, locks, least, most in [(None, 3000, 0, 0), ("1024", 3000, 3000 - 1024, 3000)]:
    env.clean_traces()
    extra = {"CONTEND_LOCKS": registry} if registry else {}
    run = env.run([prog, str(locks)], env=extra)
    what = f"CONTEND_LOCKS={registry or 'default'}"
    env.check_eq(run.stdout.strip(), f"{locks} acquisitions", f"{what}: program unaffected")
    report = env.report_json(env.traces())
    if report:
        s = report["summary"]
        env.check_eq(s["acquisitions"], locks, f"{what}: every acquisition counted")
        env.check(least <= s["lock_registry_misses"] <= most,
                  f"{what}: lock registry misses {s['lock_registry_misses']} in [{least}, {most}]")
        env.check_eq(s["records_lost"], 0, f"{what}: no record lost")
    table = subprocess.run([env.report, *env.traces()], capture_output=True, text=True, timeout=60).stdout
    env.check(("locks without identity or blame" in table) == (most > 0), f"{what}: the table says so")

# The file size limit: what did not fit is counted, and the count (with the
# footer) still reaches the file.
env.clean_traces()
limit = 64 * 1024


def limit_file_size():
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


full_env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
full_env.update({"LD_PRELOAD": env.lib, "CONTEND_OUTPUT": os.path.join(env.workdir, "trace.bin")})
run = subprocess.run([env.program("ring_overflow"), "3000"], env=full_env, cwd=env.workdir, capture_output=True,
                     text=True, timeout=120, preexec_fn=limit_file_size)
env.check_eq(run.returncode, 0, "size limit: exit code")
env.check(all(os.path.getsize(t) <= limit for t in env.traces()), "size limit: never crossed")
report = env.report_json(env.traces())
if report:
    env.check(report["summary"]["records_lost"] > 0,
              f"size limit: records lost are counted ({report['summary']['records_lost']})")
    env.check_eq(report["processes"][0]["complete"], True, "size limit: the footer still fits")
    env.check_eq(report["processes"][0]["truncated"], False, "size limit: ends on a record boundary")
table = subprocess.run([env.report, *env.traces()], capture_output=True, text=True, timeout=60).stdout
env.check("records lost" in table, "size limit: the table says so")

env.finish()
