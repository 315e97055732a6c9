# Four threads contending on a threading.Lock (a semaphore in CPython) and
# the GIL (a mutex and condition variable). Deterministic output.
import threading

lock = threading.Lock()
counter = 0


def work(n):
    global counter
    for _ in range(n):
        with lock:
            counter += 1


threads = [threading.Thread(target=work, args=(200000,)) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("counter", counter)
