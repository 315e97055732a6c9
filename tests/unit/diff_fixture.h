// Two hand-built runs of one program, before and after a fix, for the diff
// tests: every figure is chosen, so every figure of the diff is known.
//   BASE: gate (mutex, 1 lock): 500 acquisitions, 400 contended, 4 s wait;
//         log (mutex): 20 acquisitions, 10 contended, 100 ms;
//         shard (mutex, 2 locks of one name): 100 + 100, 0 contended;
//         cache (rwlock, read and write sides of one lock, one holder list).
//   NEW:  gate gone; log: 20, 10, 110 ms; shard: 3 locks; fresh (mutex,
//         new): 50 acquisitions, 5 contended, 30 ms; cache unchanged.
#pragma once

#include "report/report.h"

#include <cstdint>
#include <string>

namespace contend::analyze::testing {

inline constexpr uint64_t kMs = 1'000'000;

inline SiteRow site(const std::string& function, uint64_t count, uint64_t ns, double share,
                    const std::string& lock = "") {
  SiteRow s;
  s.key = function;
  s.function = function;
  s.file = "app.cpp";
  s.line = 10;
  s.label = function + " (app.cpp:10)";
  s.count = count;
  s.ns = ns;
  s.max_ns = ns / (count == 0 ? 1 : count) * 2;
  s.share = share;
  s.lock = lock;
  return s;
}

inline LockRow lock(const std::string& name, uint64_t address, uint64_t acquisitions, uint64_t contended,
                    uint64_t wait_ns, format::WaitKind kind = format::WaitKind::kMutex) {
  LockRow l;
  l.pid = 42;
  l.address = address;
  l.kind = kind;
  l.name = name;
  l.name_source = NameSource::kSymbol;
  l.counts.acquisitions = acquisitions;
  l.counts.contended = contended;
  l.waits = contended;
  l.wait_total_ns = wait_ns;
  l.wait_p50_ns = contended == 0 ? 0 : wait_ns / contended;
  l.wait_p99_ns = l.wait_p50_ns * 3;
  l.wait_max_ns = l.wait_p50_ns * 4;
  return l;
}

// Shares and totals as the aggregator would fill them.
inline Report finish(Report r, const std::string& argv0, uint64_t wall_ns, uint32_t threads) {
  Summary& s = r.summary;
  for (const LockRow& l : r.locks) {
    s.counts += l.counts;
    s.wait_ns += l.wait_total_ns;
  }
  s.program = argv0;
  s.processes = 1;
  s.pids = {42};
  s.wall_ns = wall_ns;
  s.threads = threads;
  s.thread_time_ns = wall_ns * threads;
  s.contention_pct = 100.0 * static_cast<double>(s.wait_ns) / static_cast<double>(s.thread_time_ns);
  for (LockRow& l : r.locks) {
    l.share_of_wait =
        s.wait_ns == 0 ? 0 : static_cast<double>(l.wait_total_ns) / static_cast<double>(s.wait_ns);
    l.share_of_thread_time = static_cast<double>(l.wait_total_ns) / static_cast<double>(s.thread_time_ns);
  }
  ProcessSummary p;
  p.pid = 42;
  p.trace_path = argv0 + ".trace";
  p.argv = {argv0, "4"};
  r.processes.push_back(p);
  return r;
}

inline Report base_run() {
  Report r;
  LockRow gate = lock("gate", 0x1000, 500, 400, 4000 * kMs);
  gate.hold.samples = 10;
  gate.hold.total_ns = 900 * kMs;
  gate.waiter_sites = {site("take_gate", 400, 4000 * kMs, 1.0)};
  gate.holder_sites = {site("take_gate", 380, 3900 * kMs, 0.975), site("open_gate", 20, 100 * kMs, 0.025)};
  LockRow log = lock("log", 0x2000, 20, 10, 100 * kMs);
  log.waiter_sites = {site("write_log", 10, 100 * kMs, 1.0)};
  log.holder_sites = {site("write_log", 10, 100 * kMs, 1.0)};
  LockRow cache_read = lock("cache", 0x3000, 1000, 0, 0, format::WaitKind::kRwlockRead);
  LockRow cache_write = lock("cache", 0x3000, 10, 2, 2 * kMs, format::WaitKind::kRwlockWrite);
  // One holder list for both sides of the rwlock: its releases count once.
  cache_read.holder_sites = {site("fill_cache", 2, 2 * kMs, 1.0)};
  cache_write.holder_sites = cache_read.holder_sites;
  r.locks = {gate,        log,       lock("shard", 0x4000, 100, 0, 0), lock("shard", 0x4040, 100, 0, 0),
             cache_write, cache_read};
  r.sites = {site("take_gate", 400, 4000 * kMs, 0.97, "gate"), site("write_log", 10, 100 * kMs, 0.02, "log"),
             site("fill_cache", 2, 2 * kMs, 0.0005, "cache")};
  return finish(r, "app", 2000 * kMs, 5);
}

inline Report new_run() {
  Report r;
  LockRow log = lock("log", 0x2200, 20, 10, 110 * kMs);
  log.holder_sites = {site("write_log", 10, 110 * kMs, 1.0)};
  LockRow fresh = lock("fresh", 0x5000, 50, 5, 30 * kMs);
  fresh.holder_sites = {site("take_shard", 5, 30 * kMs, 1.0)};
  LockRow cache_read = lock("cache", 0x3300, 1000, 0, 0, format::WaitKind::kRwlockRead);
  LockRow cache_write = lock("cache", 0x3300, 10, 2, 2 * kMs, format::WaitKind::kRwlockWrite);
  cache_read.holder_sites = {site("fill_cache", 2, 2 * kMs, 1.0)};
  cache_write.holder_sites = cache_read.holder_sites;
  r.locks = {log,
             fresh,
             lock("shard", 0x4400, 100, 0, 0),
             lock("shard", 0x4440, 100, 0, 0),
             lock("shard", 0x4480, 100, 0, 0),
             cache_write,
             cache_read};
  r.sites = {site("write_log", 10, 110 * kMs, 0.77, "log"), site("take_shard", 5, 30 * kMs, 0.21, "fresh"),
             site("fill_cache", 2, 2 * kMs, 0.014, "cache")};
  return finish(r, "app", 1000 * kMs, 5);
}

}  // namespace contend::analyze::testing
