#include "base/clock.h"

#include <cpuid.h>
#include <fcntl.h>
#include <unistd.h>
#include <cstring>

namespace contend::preload {

namespace {

bool cpu_has_invariant_tsc() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(0x80000000u, &eax, &ebx, &ecx, &edx) == 0 || eax < 0x80000007u) return false;
  __get_cpuid(0x80000007u, &eax, &ebx, &ecx, &edx);
  return (edx & (1u << 8)) != 0;
}

bool kernel_clocksource_is_tsc() {
  // Plain open/read: this runs at start-up, possibly before stdio is usable.
  int fd = open("/sys/devices/system/clocksource/clocksource0/current_clocksource", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[32] = {};
  ssize_t n = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  return n >= 3 && std::strncmp(buf, "tsc", 3) == 0 && (n == 3 || buf[3] == '\n');
}

}  // namespace

bool tsc_is_trustworthy() {
  return cpu_has_invariant_tsc() && kernel_clocksource_is_tsc();
}

ClockCalibration init_clock(const char* requested) {
  bool use_tsc = false;
  if (requested != nullptr && std::strcmp(requested, "tsc") == 0) {
    use_tsc = cpu_has_invariant_tsc();
  } else if (requested == nullptr || std::strcmp(requested, "monotonic") != 0) {
    use_tsc = tsc_is_trustworthy();
  }
  clock_detail::g_use_tsc = use_tsc;

  ClockCalibration cal;
  if (!use_tsc) return cal;
  cal.source = format::ClockSource::kTsc;
  // A 200 us busy measurement: error about 2 x 30 ns / 200 us = 0.03%, good
  // enough until the writer's ClockSync records give a long baseline.
  uint64_t ns0 = monotonic_ns();
  uint64_t t0 = __rdtsc();
  uint64_t ns1 = ns0;
  uint64_t t1 = t0;
  while (ns1 - ns0 < 200000) {
    ns1 = monotonic_ns();
    t1 = __rdtsc();
  }
  cal.calib_ticks = t1 - t0 > 0 ? t1 - t0 : 1;
  cal.calib_ns = ns1 - ns0 > 0 ? ns1 - ns0 : 1;
  return cal;
}

}  // namespace contend::preload
