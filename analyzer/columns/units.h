// Human-readable numbers for tables. Machine formats print raw values.
#pragma once

#include <cstdint>
#include <string>

namespace contend::analyze {

// 950 ns, 12.3 us, 4.56 ms, 1.23 s: three significant digits.
std::string format_duration(uint64_t ns);
// 0.1234 -> "12.3%"
std::string format_percent(double fraction);
// 1234567 -> "1,234,567"
std::string format_count(uint64_t n);
// A small ratio such as acquisitions per operation, three significant
// digits without an exponent: 1.03, 0.00807, 0.0000240.
std::string format_ratio(double v);

}  // namespace contend::analyze
