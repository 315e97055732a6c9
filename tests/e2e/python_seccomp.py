"""A program that installs a seccomp filter of its own (libseccomp's Python
binding): getpgid fails with EPERM from then on, for this thread and the
threads it starts; then its threads contend on locks and a queue."""

import errno
import os
import queue
import threading

import seccomp

f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
f.add_rule(seccomp.ERRNO(errno.EPERM), "getpgid")
f.load()

try:
    os.getpgid(0)
    print("getpgid allowed")
except PermissionError as e:
    print("getpgid refused:", e.errno == errno.EPERM)

lock = threading.Lock()
work = queue.Queue()
total = [0]


def worker():
    while True:
        item = work.get()
        if item is None:
            return
        with lock:
            total[0] += item


threads = [threading.Thread(target=worker) for _ in range(4)]
for t in threads:
    t.start()
for i in range(20000):
    work.put(i)
for _ in threads:
    work.put(None)
for t in threads:
    t.join()
print("total", total[0])
