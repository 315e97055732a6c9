#include "base/config.h"

#include <contend/trace_format.h>

#include <charconv>
#include <cstring>
#include <string_view>

namespace contend::preload {

namespace {

bool is_power_of_two(uint32_t v) {
  return v != 0 && (v & (v - 1)) == 0;
}

struct Parser {
  EnvLookup lookup;
  std::vector<std::string>& warnings;

  void warn_bad(const char* name, std::string_view value, std::string_view expected,
                std::string_view fallback) {
    warnings.push_back(std::string(name) + "='" + std::string(value) + "' is not " + std::string(expected) +
                       "; using " + std::string(fallback));
  }

  void boolean(const char* name, bool& out) {
    const char* v = lookup(name);
    if (v == nullptr) return;
    std::string_view s(v);
    if (s == "1" || s == "yes" || s == "true" || s == "on") {
      out = true;
    } else if (s == "0" || s == "no" || s == "false" || s == "off" || s.empty()) {
      out = false;
    } else {
      warn_bad(name, s, "a boolean (1/0)", out ? "1" : "0");
    }
  }

  void number(const char* name, uint32_t& out, uint32_t lo, uint32_t hi, bool power_of_two) {
    const char* v = lookup(name);
    if (v == nullptr) return;
    std::string_view s(v);
    uint32_t parsed = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), parsed);
    bool ok = ec == std::errc() && end == s.data() + s.size() && parsed >= lo && parsed <= hi &&
              (!power_of_two || is_power_of_two(parsed));
    if (ok) {
      out = parsed;
      return;
    }
    std::string expected = std::string(power_of_two ? "a power of two" : "an integer") + " in [" +
                           std::to_string(lo) + ", " + std::to_string(hi) + "]";
    warn_bad(name, s, expected, std::to_string(out));
  }

  void choice(const char* name, std::string& out, std::initializer_list<std::string_view> allowed) {
    const char* v = lookup(name);
    if (v == nullptr) return;
    for (std::string_view a : allowed) {
      if (a == v) {
        out = v;
        return;
      }
    }
    std::string expected = "one of ";
    for (std::string_view a : allowed) expected += std::string(a) + (a == *(allowed.end() - 1) ? "" : ", ");
    warn_bad(name, v, expected, out);
  }
};

}  // namespace

ConfigResult parse_config(EnvLookup lookup) {
  ConfigResult result;
  Config& c = result.config;
  Parser p{lookup, result.warnings};
  if (const char* out = lookup("CONTEND_OUTPUT")) {
    if (*out == '\0') {
      p.warn_bad("CONTEND_OUTPUT", out, "a path", c.output);
    } else {
      c.output = out;
    }
  }
  p.boolean("CONTEND_STATS", c.stats);
  p.boolean("CONTEND_DISABLE", c.disabled);
  p.boolean("CONTEND_CHILDREN", c.children);
  p.number("CONTEND_RING_KB", c.ring_kib, 16, 1u << 20, true);
  p.number("CONTEND_MAX_THREADS", c.max_threads, 1, 1u << 20, false);
  p.number("CONTEND_LOCK_SLOTS", c.lock_slots, 64, 1u << 20, true);
  p.number("CONTEND_LOCK_SLOTS_MAX", c.lock_slots_max, 64, 1u << 24, true);
  if (c.lock_slots_max < c.lock_slots) c.lock_slots_max = c.lock_slots;
  p.number("CONTEND_FLUSH_MS", c.flush_ms, 0, 1000, false);
  p.choice("CONTEND_CLOCK", c.clock, {"auto", "tsc", "monotonic"});
  p.number("CONTEND_STACK_DEPTH", c.stack_depth, 0, format::kMaxStackDepth, false);
  p.number("CONTEND_HOLD_SAMPLE", c.hold_sample, 0, 1u << 20, false);
  p.number("CONTEND_HOLD_RATE", c.hold_rate, 1, 100000000, false);
  p.number("CONTEND_LOCKS", c.lock_registry, 1024, 1u << 24, true);
  if (const char* prom = lookup("CONTEND_PROM_FILE")) c.prom_file = prom;
  p.number("CONTEND_PROM_MS", c.prom_ms, 100, 86400000, false);
  std::string futex = "hooked";
  p.choice("CONTEND_FUTEX", futex, {"hooked", "all"});
  c.futex_all = futex == "all";
  return result;
}

}  // namespace contend::preload
