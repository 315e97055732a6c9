"""The examples, profiled: each report ranks the planted lock first and
names the right function, and each fixed variant waits at least 5 times
less on that path (or the lock is gone; kvstore's shards: the most
contended one, 5 times less often). Profiled runs print exactly what
unprofiled runs print."""

import os

from contend_e2e import Env

env = Env()
examples = os.path.dirname(env.report)  # built next to contend-report


def profile(name, *args, extra_env=None):
    """Runs an example with and without the profiler; returns the report."""
    argv = [os.path.join(examples, name), *args]
    plain = env.run(argv, preload=False)
    env.clean_traces()
    run = env.run(argv, env=extra_env)
    what = " ".join([name, *args])
    env.check_eq(run.returncode, 0, f"{what}: exit code")
    env.check_eq(run.stdout, plain.stdout, f"{what}: same output as without the profiler")
    return env.report_json(env.traces(), "--top", "1000")  # every lock, for the sums below


def site_share(lock, fragment):
    """Share of the lock's wait spent in call sites whose function has fragment."""
    return sum(s["share"] for s in lock["waiter_sites"] if fragment in s["function"])


def path_locks(report, fragment):
    """Locks waited for in functions containing fragment."""
    return [l for l in report["locks"] if site_share(l, fragment) > 0]


def path_waits(report, fragment):
    """(contended acquisitions, wait ns) summed over the path's locks."""
    locks = path_locks(report, fragment)
    return sum(l["contended"] for l in locks), sum(l["wait_ns"]["total"] for l in locks)


def lock_waits(lock):
    """(contended acquisitions, wait ns) of one lock."""
    return lock["contended"], lock["wait_ns"]["total"]


def check_fixed(report, fragment, planted, what):
    """The fix's locks on the same path, all of them summed, wait at least 5
    times less."""
    contended, wait = path_waits(report, fragment)
    env.check(wait * 5 <= planted[1],
              f"{what}: 5x less wait on that path ({wait / 1e6:.1f} ms vs {planted[1] / 1e6:.1f} ms; "
              f"contended {contended} vs {planted[0]} times)")


def check_spread(report, fragment, planted, what):
    """Sharding spreads the waits: the most contended of the fix's locks is
    contended at least 5 times less often than the planted lock. Not the
    sum, nor the wait: on 2 cores the 64 shards together are contended 4 to
    40 times less, run to run, as preempted holders and hot keys come and
    go, and a shard holder preempted by the submitting thread makes a
    millisecond wait that is the scheduler's; a handful of those outweigh
    thousands of short waits on the planted lock."""
    contended, wait = path_waits(report, fragment)
    top = max((l["contended"] for l in path_locks(report, fragment)), default=0)
    env.check(top * 5 <= planted[0],
              f"{what}: the most contended lock on that path, 5x fewer contended acquisitions ({top} vs "
              f"{planted[0]}; all {contended}, waits {wait / 1e6:.1f} ms vs {planted[1] / 1e6:.1f} ms)")


# alloc_pool: acquire_slab (the allocation path) dominates, release_slabs
# (the free path, batched) barely appears; the lock-free pool has no lock.
r = profile("alloc_pool", "4", "100000", "1024")
if r:
    top = r["locks"][0]
    env.check(site_share(top, "SlabPool::acquire_slab") >= 0.8,
              f"alloc_pool: acquire_slab waits for {site_share(top, 'SlabPool::acquire_slab'):.1%} of the top lock")
    env.check(site_share(top, "release_slabs") <= 0.1,
              f"alloc_pool: release_slabs barely appears ({site_share(top, 'release_slabs'):.1%})")
    env.check("acquire_slab" in top["name"], f"alloc_pool: the lock is named by its function: {top['name']!r}")
    # Holds of microseconds: the recorder's few hundred ns per wait do not
    # reshape them, and the report does not say they might.
    short = [w for w in r["warnings"] if w.startswith("holds too short")]
    env.check(not short, f"alloc_pool: no warning of holds too short to profile ({short})")
    fixed = profile("alloc_pool", "--lockfree", "4", "100000", "1024")
    if fixed:
        check_fixed(fixed, "acquire_slab", lock_waits(top), "alloc_pool --lockfree")

# kvstore: the engine's one mutex (get and put) is first, ahead of the
# pool's queue; the most contended of the 64 shard locks is contended 5
# times less often. Two workers on the 2 cores: with more, a preempted shard holder
# makes waits that are the scheduler's, not the lock's. Contention needs
# both workers running at once: a machine busy elsewhere can run them one
# at a time (CI once saw 3.9 ms of wait instead of about 600), which leaves
# nothing to compare, so that run is repeated, at most 3 times in all.
KV = ("--batches", "150", "--threads", "2")
for attempt in range(3):
    r = profile("kvstore", *KV)
    if not r or r["locks"] and r["locks"][0]["contended"] >= 1000:
        break
    print(f"note kvstore: {r['locks'][0]['contended'] if r['locks'] else 0} contended acquisitions, "
          "the workers seldom ran at once; again")
if r:
    top = r["locks"][0]
    env.check(top["contended"] >= 1000, f"kvstore: the planted lock is contended ({top['contended']} times)")
    share = site_share(top, "GlobalLockEngine::")
    env.check(share >= 0.9, f"kvstore: GlobalLockEngine get/put wait on the top lock ({share:.1%})")
    env.check(site_share(top, "GlobalLockEngine::put") > 0, "kvstore: put is among the waiters")
    fixed = profile("kvstore", *KV, "--engine", "sharded")
    if fixed:
        check_spread(fixed, "ShardedEngine::", lock_waits(top), "kvstore --engine sharded")

# graph_cache: the read path (lookup) waits for the write side of the
# cache's rwlock; with CLOCK eviction reads share it.
r = profile("graph_cache", "4", "200000")
if r:
    top = r["locks"][0]
    env.check_eq(top["kind"], "rwlock-write", "graph_cache: the write side of the rwlock is first")
    share = site_share(top, "LruNodeCache::lookup")
    env.check(share >= 0.8, f"graph_cache: LruNodeCache::lookup waits for it ({share:.1%})")
    # Its holds (about 0.3 us) are as short as the recorder's work at a wait:
    # the report says profiling may reshape its convoy, and names the lock.
    short = [w for w in r["warnings"] if w.startswith("holds too short")]
    env.check(len(short) == 1 and "LruNodeCache::lookup" in short[0],
              f"graph_cache: the report warns that the cache lock's holds are too short to profile ({short})")
    planted = path_waits(r, "LruNodeCache::")
    fixed = profile("graph_cache", "--fixed", "4", "200000")
    if fixed:
        env.check(any("ClockNodeCache::" in l["name"] for l in fixed["locks"]),
                  "graph_cache --fixed: the cache lock is in the report (the comparison is not vacuous)")
        check_fixed(fixed, "ClockNodeCache::", planted, "graph_cache --fixed (both sides of the rwlock)")
# alloc_pressure (CONTEND_FUTEX=all): glibc's arena lock, which the consumer's
# frees of the producer's memory take, is the top lock, waited for in the
# pipeline's functions; recycling the buffers leaves 5 times less (none).
ALL = {"CONTEND_FUTEX": "all"}
r = profile("alloc_pressure", "2", "1000000", extra_env=ALL)
if r and env.check(len(r["locks"]) > 0, "alloc_pressure: a lock to show"):
    top = r["locks"][0]
    env.check_eq(top["kind"], "futex", "alloc_pressure: the top lock is a futex inside glibc")
    share = site_share(top, "consume") + site_share(top, "produce")
    env.check(share >= 0.99, f"alloc_pressure: waited in consume and produce ({share:.1%})")
    fixed = profile("alloc_pressure", "--recycle", "2", "1000000", extra_env=ALL)
    if fixed:
        check_fixed(fixed, "alloc_pressure::", lock_waits(top), "alloc_pressure --recycle")
env.finish()
