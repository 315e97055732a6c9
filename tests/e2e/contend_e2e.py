"""Helpers for end-to-end tests: run real programs with and without
libcontend.so and read their traces with contend-report."""

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile


class Env:
    def __init__(self):
        parser = argparse.ArgumentParser()
        parser.add_argument("--lib", required=True)
        parser.add_argument("--report", required=True)
        parser.add_argument("--bin", required=True, help="directory of test programs")
        args = parser.parse_args()
        self.lib = os.path.abspath(args.lib)
        self.report = os.path.abspath(args.report)
        self.bin = os.path.abspath(args.bin)
        self.workdir = tempfile.mkdtemp(prefix="contend-e2e-")
        self.failures = 0

    def program(self, name):
        return os.path.join(self.bin, name)

    def run(self, argv, preload=True, env=None, trace="trace.bin", timeout=120, stdin=None, binary=False):
        """Runs argv in the work directory; returns CompletedProcess (bytes
        output when binary)."""
        full_env = dict(os.environ)
        full_env.pop("LD_PRELOAD", None)
        if preload:
            full_env["LD_PRELOAD"] = self.lib
            full_env["CONTEND_OUTPUT"] = os.path.join(self.workdir, trace)
        full_env.update(env or {})
        return subprocess.run(argv, cwd=self.workdir, env=full_env, capture_output=True, text=not binary,
                              timeout=timeout, stdin=stdin)

    def traces(self, pattern="trace.bin*"):
        return sorted(p for p in glob.glob(os.path.join(self.workdir, pattern)) if not p.endswith(".old"))

    def clean_traces(self):
        for p in glob.glob(os.path.join(self.workdir, "trace.bin*")):
            os.remove(p)

    def report_json(self, traces, *extra):
        out = subprocess.run([self.report, "--format", "json", *extra, *traces], capture_output=True,
                             text=True, timeout=120)
        self.check(out.returncode == 0, f"contend-report exit {out.returncode}: {out.stderr.strip()}")
        return json.loads(out.stdout) if out.returncode == 0 else None

    def check(self, condition, message):
        if condition:
            print(f"ok   {message}")
        else:
            print(f"FAIL {message}")
            self.failures += 1
        return condition

    def check_eq(self, actual, expected, what):
        return self.check(actual == expected, f"{what}: {actual!r} == {expected!r}")

    def finish(self):
        if self.failures == 0:
            shutil.rmtree(self.workdir, ignore_errors=True)
            print("all checks passed")
            sys.exit(0)
        print(f"{self.failures} checks failed; files kept in {self.workdir}")
        sys.exit(1)


def find_lock(report, address=None, kind=None):
    for lock in report["locks"]:
        if (address is None or lock["address"] == address) and (kind is None or lock["kind"] == kind):
            return lock
    return None
