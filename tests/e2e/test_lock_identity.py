"""Lock identity and names: a global by its symbol, a member of a global
struct as symbol+offset, a heap lock by the function that initialized it, a
std::mutex member by the function that first locked it, an annotated lock by
its annotation, a lock and a function inside a dlopen'ed plugin; a destroyed
and re-initialized lock is a new one."""

from contend_e2e import Env

env = Env()
prog = env.program("lock_names")
plugin = env.program("libplugin_locks.so")

plain = env.run([prog, plugin], preload=False)
env.check_eq(plain.returncode, 0, "runs without the profiler (annotations are no-ops)")
run = env.run([prog, plugin])
env.check_eq(run.returncode, 0, "exit code")
addresses = dict(line.split() for line in run.stdout.splitlines())
report = env.report_json(env.traces(), "--top", "100")


def rows(address):
    return [l for l in report["locks"] if l["address"] == address]


def one(address):
    r = rows(address)
    return r[0] if r else {}


if report:
    g = one(addresses["global"])
    env.check_eq((g.get("name"), g.get("name_source")), ("g_named_global", "symbol"), "global: its symbol")
    m = one(addresses["member"])
    env.check_eq((m.get("name"), m.get("name_source")), ("g_pool+64", "symbol"), "struct member: symbol+offset")
    h = one(addresses["heap"])
    env.check(h.get("name_source") == "birth" and h.get("name", "").startswith("created in ")
              and "make_heap_lock" in h.get("name", "") and "lock_names.cpp:" in h.get("name", ""),
              f"heap lock: the function that initialized it ({h.get('name')!r})")
    lg = one(addresses["logger"])
    env.check(lg.get("name_source") == "birth" and lg.get("name", "").startswith("first locked in ")
              and "Logger::log" in lg.get("name", ""),
              f"std::mutex member: the function that first locked it ({lg.get('name')!r})")
    a = one(addresses["annotated"])
    env.check_eq((a.get("name"), a.get("name_source")), ("shared_pool.alloc_lock", "annotation"), "annotated lock")
    p = one(addresses["plugin"])
    env.check_eq(p.get("name"), "g_plugin_lock", "plugin lock: its symbol, from a module loaded late")
    sites = p.get("waiter_sites", [])
    env.check(bool(sites) and sites[0]["function"] == "handoff_worker" and sites[0]["file"].endswith("handoff_lib.h"),
              f"plugin: its waiting function resolves ({sites[:1]})")
    env.check_eq(p.get("contended"), 3, "plugin: 3 contended")
    lives = sorted(rows(addresses["reused"]), key=lambda l: l["generation"])
    env.check_eq([(l["generation"], l["contended"]) for l in lives], [(0, 1), (1, 2)],
                 "re-initialized lock: two generations, each with its own counts")
    names = {t["name"] for t in report["threads"]}
    env.check("main-thread" in names, f"annotated thread name ({sorted(names)})")
env.finish()
