#include "columns/units.h"

#include <fmt/format.h>

namespace contend::analyze {

std::string format_duration(uint64_t ns) {
  if (ns < 1000) return fmt::format("{} ns", ns);
  static constexpr struct {
    double scale;
    const char* unit;
  } kUnits[] = {{1e3, "us"}, {1e6, "ms"}, {1e9, "s"}};
  double v = static_cast<double>(ns);
  int i = ns < 1000000 ? 0 : ns < 1000000000 ? 1 : 2;
  double scaled = v / kUnits[i].scale;
  // Keep three significant digits; 999.95 us rounds to "1.00 ms".
  if (scaled >= 999.95 && i < 2) {
    ++i;
    scaled = v / kUnits[i].scale;
  }
  if (scaled >= 100) return fmt::format("{:.0f} {}", scaled, kUnits[i].unit);
  if (scaled >= 10) return fmt::format("{:.1f} {}", scaled, kUnits[i].unit);
  return fmt::format("{:.2f} {}", scaled, kUnits[i].unit);
}

std::string format_percent(double fraction) {
  double pct = fraction * 100.0;
  if (pct > 0 && pct < 0.1) return "<0.1%";
  return fmt::format("{:.1f}%", pct);
}

std::string format_count(uint64_t n) {
  std::string digits = fmt::format("{}", n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string format_ratio(double v) {
  if (v == 0) return "0";
  if (v >= 100) return fmt::format("{:.0f}", v);
  int decimals = 2;  // three significant digits
  for (double scaled = v; scaled < 1 && decimals < 12; scaled *= 10) ++decimals;
  return fmt::format("{:.{}f}", v, decimals);
}

}  // namespace contend::analyze
