"""Real programs from Debian's packages, with and without libcontend.so:
same exit code and same output; their traces read cleanly and show the
contention that is there. The matrix: sysbench, python3 threads, pigz, xz,
zstd, node (libuv's thread pool), make -j (fork and exec), memcached under
memcslap, RocksDB's db_bench, ImageMagick (OpenMP), a Python program that
installs its own seccomp filter. CTest runs the matrix twice: as it is, and
with CONTEND_FUTEX=all (docs/FUTEX_WAITS.md). (C++ std::shared_mutex and wait_for, Rust and
an ASan build are tests/programs, in test_languages.py and test_launcher.py.)"""

import os
import random
import re
import shutil
import socket
import subprocess
import time

from contend_e2e import Env

env = Env()


def normalized(text):
    # sysbench prints timings: compare the shape, not the numbers.
    return [re.sub(r"\s+", " ", re.sub(r"[0-9]+(\.[0-9]+)?", "#", line)).strip() for line in text.splitlines()]


def compare(name, argv, exact=True, stdin_path=None, min_contended=0, kinds=()):
    env.clean_traces()
    stdin = open(stdin_path, "rb") if stdin_path else None
    binary = stdin is not None
    plain = env.run(argv, preload=False, stdin=stdin, binary=binary)
    if stdin:
        stdin.seek(0)
    profiled = env.run(argv, stdin=stdin, binary=binary)
    env.check_eq(profiled.returncode, plain.returncode, f"{name}: same exit code")
    if exact:
        env.check(profiled.stdout == plain.stdout, f"{name}: identical output ({len(plain.stdout)} characters)")
    else:
        env.check_eq(normalized(profiled.stdout), normalized(plain.stdout), f"{name}: same output, timings aside")
    traces = env.traces()
    env.check(len(traces) >= 1, f"{name}: trace written")
    report = env.report_json(traces, "--top", "1000")
    if report:
        env.check_eq(report["summary"]["incomplete_traces"], 0, f"{name}: traces complete")
        env.check_eq(report["summary"]["dropped_events"], 0, f"{name}: nothing dropped")
        env.check(report["summary"]["contended"] >= min_contended,
                  f"{name}: contention shown ({report['summary']['contended']} >= {min_contended})")
        seen = {l["kind"] for l in report["locks"] + report["cond_waits"]}
        for kind in kinds:
            env.check(kind in seen, f"{name}: {kind} waits seen")
    return report


compare("sysbench mutex", ["sysbench", "mutex", "--threads=4", "run"], exact=False)
report = compare("sysbench threads", ["sysbench", "threads", "--threads=4", "--thread-locks=2", "--time=2", "run"],
                 exact=False, min_contended=1000)
if report:
    top = report["locks"][0]
    env.check(top["contention_rate"] > 0.05, f"sysbench threads: its 2 locks are hot ({top['contention_rate']:.2f})")

compare("python3 threads", ["/usr/bin/python3", os.path.join(os.path.dirname(__file__), "python_threads.py")],
        kinds=("semaphore",))

data = os.path.join(env.workdir, "input.txt")
rng = random.Random(42)
words = ["lock", "wait", "mutex", "thread", "contend", "futex", "queue", "slab", "pool", "cache"]
with open(data, "w") as f:
    for _ in range(400000):
        f.write(" ".join(rng.choice(words) for _ in range(8)) + "\n")
compare("pigz", ["pigz", "-p", "4", "-c", "-n"], stdin_path=data, kinds=("condition",))
compare("xz", ["xz", "-T2", "-1", "--block-size=262144", "-c"], stdin_path=data)
compare("zstd", ["zstd", "-T2", "-q", "-c"], stdin_path=data)
compare("node", ["node", os.path.join(os.path.dirname(__file__), "node_pool.js")])
# OpenMP: ImageMagick's blur runs on libgomp's threads (the same pixels).
compare("imagemagick", ["/usr/bin/convert-im6.q16", "-size", "1200x1200", "xc:gray50", "-blur", "0x5", "-resize",
                        "60%", "ppm:-"], stdin_path=os.devnull)
# A seccomp filter of the program's own, stacked on any of ours.
compare("python seccomp", ["/usr/bin/python3", os.path.join(os.path.dirname(__file__), "python_seccomp.py")],
        kinds=("semaphore",))

# make -j: every process a trace of its own, every one complete.
makefile = os.path.join(os.path.dirname(__file__), "Makefile.fork_exec")
build_dir = os.path.join(env.workdir, "make")
os.makedirs(build_dir)
results = []
for preload in (False, True):
    for name in os.listdir(build_dir):
        os.remove(os.path.join(build_dir, name))
    env.clean_traces()
    run = env.run(["make", "-s", "-j4", "-C", build_dir, "-f", makefile], preload=preload)
    env.check_eq(run.returncode, 0, f"make -j4 ({'profiled' if preload else 'plain'}): exit code")
    results.append(open(os.path.join(build_dir, "all.txt")).read())
env.check_eq(results[1], results[0], "make -j4: same result")
traces = env.traces()
env.check(len(traces) >= 25, f"make -j4: a trace per process ({len(traces)})")
report = env.report_json(traces)
if report:
    env.check_eq(report["summary"]["incomplete_traces"], 0, "make -j4: every trace complete")
    env.check_eq(len(report["processes"]), len(traces), "make -j4: every process read")


# memcached, served to memcslap (libmemcached's load generator), then a value
# written and read back with memccp and memccat.
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memcached_session(preload):
    port = free_port()
    full_env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    if preload:
        full_env.update({"LD_PRELOAD": env.lib, "CONTEND_OUTPUT": os.path.join(env.workdir, "trace.bin")})
    server = subprocess.Popen(["memcached", "-u", "root", "-t", "4", "-l", "127.0.0.1", "-p", str(port)],
                              env=full_env, cwd=env.workdir)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    servers = f"127.0.0.1:{port}"
    out = []
    for test in ("set", "get"):
        load = subprocess.run(["memcslap", "-s", servers, "-c", "8", "-e", "2000", "-t", test], capture_output=True,
                              text=True, timeout=120)
        out.append((load.returncode, normalized(load.stdout)))
    value = os.path.join(env.workdir, "value.txt")
    with open(value, "w") as f:
        f.write("the value " * 1000)
    subprocess.run(["memccp", "--servers=" + servers, value], check=True, timeout=60)
    back = subprocess.run(["memccat", "--servers=" + servers, "value.txt"], capture_output=True, text=True, timeout=60)
    out.append(back.stdout.rstrip("\n") == open(value).read())  # memccat ends with a newline
    server.terminate()
    out.append(server.wait(timeout=60))
    return out


env.clean_traces()
plain = memcached_session(False)
profiled = memcached_session(True)
env.check_eq(profiled, plain, "memcached: same load results, same value read back, same exit status")
env.check(plain[2] is True, "memcached: the value read back is the one written")
report = env.report_json(env.traces())
if report:
    env.check_eq(report["summary"]["incomplete_traces"], 0, "memcached: trace complete after SIGTERM")
    env.check(report["summary"]["acquisitions"] > 10000, f"memcached: its locks counted ({report['summary']['acquisitions']})")


# RocksDB's db_bench: 4 threads filling and reading a database.
def db_bench(preload):
    db = os.path.join(env.workdir, "rocksdb")
    shutil.rmtree(db, ignore_errors=True)
    run = env.run(["db_bench", "--benchmarks=fillrandom,readrandom", "--num=20000", "--threads=4", f"--db={db}"],
                  preload=preload)
    return run.returncode, re.findall(r"^(\w+)\s+:\s+[0-9.]+ micros/op", run.stdout, re.M)


env.clean_traces()
plain = db_bench(False)
profiled = db_bench(True)
env.check_eq(profiled, plain, "db_bench: same exit code and benchmarks")
env.check_eq(plain, (0, ["fillrandom", "readrandom"]), "db_bench: both benchmarks ran")
report = env.report_json(env.traces())
if report:
    env.check_eq(report["summary"]["incomplete_traces"], 0, "db_bench: trace complete")
    env.check(any("rocksdb::" in l["name"] for l in report["locks"]), "db_bench: RocksDB's locks named")
env.finish()
