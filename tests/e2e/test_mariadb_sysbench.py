"""sysbench oltp_read_write against a local MariaDB (unix socket), with and
without libcontend.so on either side. sysbench runs its Lua scripts in
LuaJIT, whose error paths unwind with the C++ unwinder: the run that hung
for good when the recorder's libunwind took over the program's unwinding.
The server is a large C++ program with many locks of its own."""

import os
import re
import shutil
import signal
import subprocess
import time

from contend_e2e import Env

env = Env()
data = os.path.join(env.workdir, "data")
sock = os.path.join(env.workdir, "mysql.sock")
TRANSACTIONS = 2000


def clean_env(preload, trace):
    e = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    if preload:
        e.update({"LD_PRELOAD": env.lib, "CONTEND_OUTPUT": os.path.join(env.workdir, trace)})
    return e


def start_server(preload):
    server = subprocess.Popen(
        ["mariadbd", "--no-defaults", f"--datadir={data}", f"--socket={sock}", "--skip-networking", "--user=root",
         f"--pid-file={env.workdir}/mariadb.pid", f"--log-error={env.workdir}/mariadb.err",
         "--innodb-buffer-pool-size=64M", "--innodb-log-file-size=16M"],
        env=clean_env(preload, "server.bin"), cwd=env.workdir)
    for _ in range(300):
        if os.path.exists(sock):
            probe = subprocess.run(["mariadb", "--no-defaults", "-S", sock, "-uroot", "-e", "select 1"],
                                   capture_output=True, timeout=30)
            if probe.returncode == 0:
                return server
        time.sleep(0.1)
    server.kill()
    raise RuntimeError("mariadbd did not start: " + open(os.path.join(env.workdir, "mariadb.err")).read()[-2000:])


def stop_server(server):
    server.send_signal(signal.SIGTERM)
    return server.wait(timeout=120)


def sysbench(command, preload, trace="client.bin"):
    argv = ["sysbench", "oltp_read_write", "--db-driver=mysql", f"--mysql-socket={sock}", "--mysql-user=root",
            "--mysql-db=sbtest", "--tables=2", "--table-size=200", "--threads=4", f"--events={TRANSACTIONS}",
            "--time=0", command]
    try:
        run = subprocess.run(argv, env=clean_env(preload, trace), cwd=env.workdir, capture_output=True, text=True,
                             timeout=180)
    except subprocess.TimeoutExpired:
        return None
    # Deadlocks between the threads are retried ("ignored errors", through
    # LuaJIT's error path): how many varies from run to run.
    done = re.search(r"^\s+transactions:\s+(\d+)", run.stdout, re.M)
    errors = re.search(r"^\s+ignored errors:\s+(\d+)", run.stdout, re.M)
    print(f"sysbench {command}: exit {run.returncode}, {errors.group(1) if errors else '?'} retried errors")
    return run.returncode, int(done.group(1)) if done else None


def report_of(pattern):
    traces = env.traces(pattern)
    env.check(len(traces) >= 1, f"{pattern}: trace written")
    return env.report_json(traces, "--top", "1000") if traces else None


init = subprocess.run(["mariadb-install-db", "--no-defaults", f"--datadir={data}", "--user=root",
                       "--auth-root-authentication-method=normal", "--skip-test-db"],
                      capture_output=True, text=True, timeout=300)
env.check_eq(init.returncode, 0, "mariadb-install-db")

# The client profiled, against a plain server.
server = start_server(False)
subprocess.run(["mariadb", "--no-defaults", "-S", sock, "-uroot", "-e", "create database sbtest"], check=True,
               timeout=60)
env.check_eq(sysbench("prepare", False)[0], 0, "sysbench prepare")
plain = sysbench("run", False)
profiled = sysbench("run", True)
env.check(profiled is not None, "sysbench under the profiler finishes (it used to hang for good)")
env.check_eq(plain, (0, TRANSACTIONS), "sysbench plain: exit status and transactions")
env.check_eq(profiled, plain, "sysbench profiled: same exit status and transactions")
report = report_of("client.bin*")
if report:
    env.check_eq(report["summary"]["incomplete_traces"], 0, "sysbench: traces complete")
    env.check_eq(report["summary"]["dropped_events"], 0, "sysbench: nothing dropped")
env.check_eq(stop_server(server), 0, "plain server: clean shutdown")

# The server profiled, under the same load.
server = start_server(True)
served = sysbench("run", False)
env.check_eq(served, plain, "profiled server: same exit status and transactions")
env.check_eq(stop_server(server), 0, "profiled server: clean shutdown on SIGTERM")
report = report_of("server.bin*")
if report:
    env.check_eq(report["summary"]["incomplete_traces"], 0, "mariadbd: trace complete")
    env.check(report["summary"]["acquisitions"] > 100000,
              f"mariadbd: its locks counted ({report['summary']['acquisitions']})")
shutil.rmtree(data, ignore_errors=True)
env.finish()
