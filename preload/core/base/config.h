// Settings read from CONTEND_* environment variables at start-up. A bad
// value gives one warning and the default; README.md lists every variable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace contend::preload {

// The drain period, also the period at which summed releases are written
// when there is no drain thread.
inline constexpr uint32_t kDefaultFlushMs = 20;

// Every default of the recorder is here.
struct Config {
  std::string output = "trace.bin";     // CONTEND_OUTPUT; %p becomes the pid
  bool stats = false;                   // CONTEND_STATS
  uint32_t ring_kib = 512;              // CONTEND_RING_KB, per thread (over 1 M waits/s without drops)
  uint32_t max_threads = 4096;          // CONTEND_MAX_THREADS, live at once
  uint32_t lock_slots = 1024;           // CONTEND_LOCK_SLOTS, per thread at start
  uint32_t lock_slots_max = 65536;      // CONTEND_LOCK_SLOTS_MAX, what a table may grow to
  uint32_t flush_ms = kDefaultFlushMs;  // CONTEND_FLUSH_MS, drain period;
                                        // 0 (tests only): no drain thread
  std::string clock = "auto";           // CONTEND_CLOCK: auto | tsc | monotonic
  uint32_t stack_depth = 16;            // CONTEND_STACK_DEPTH: frames per stack (0: the caller only)
  uint32_t hold_sample = 16;            // CONTEND_HOLD_SAMPLE: time one acquisition in N (0: none)
  uint32_t hold_rate = 10000;      // CONTEND_HOLD_RATE: at most this many hold samples per second and thread
  uint32_t lock_registry = 65536;  // CONTEND_LOCKS: distinct locks given an identity
  bool disabled = false;           // CONTEND_DISABLE=1
  bool children = true;            // CONTEND_CHILDREN: profile forked and exec'd children
  // CONTEND_PROM_FILE: a Prometheus text file the drain rewrites (prometheus_file.h); "" = none.
  std::string prom_file;
  uint32_t prom_ms = 10000;  // CONTEND_PROM_MS: its period
  bool futex_all = false;    // CONTEND_FUTEX=all: every futex wait, not only hooked ones
};

// How the process environment is read; tests pass their own.
using EnvLookup = const char* (*)(const char* name);

struct ConfigResult {
  Config config;
  std::vector<std::string> warnings;  // one line each
};

ConfigResult parse_config(EnvLookup lookup);

}  // namespace contend::preload
