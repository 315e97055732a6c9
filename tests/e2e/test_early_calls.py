"""Locks taken by another library's constructor, before main() and possibly
before libcontend.so's constructor, are forwarded correctly and counted."""

import re

from contend_e2e import Env

env = Env()
prog = env.program("early_calls")
plain = env.run([prog], preload=False)
profiled = env.run([prog], env={"LD_DEBUG": ""})
env.check_eq(profiled.returncode, 0, "exit code")
env.check_eq(profiled.stdout.split(", lock")[0], plain.stdout.split(", lock")[0], "same output")
address = re.search(r"lock at (0x[0-9a-f]+)", profiled.stdout).group(1)
report = env.report_json(env.traces())
if report:
    lock = next((l for l in report["locks"] if l["address"] == address), None)
    env.check(lock is not None, f"the early lock {address} is in the report")
    if lock:
        env.check_eq(lock["acquisitions"], 5, "acquisitions before and after main")
env.finish()
