// One fuzzing input through the analyzer: the bytes as a trace file, read,
// aggregated and rendered in every format, and dumped. Bad input may only
// end in a TraceError (what contend-report turns into one line and exit 2);
// anything else escaping, or a crash, is a bug.
#pragma once

#include <cstddef>
#include <cstdint>

namespace contend::fuzz {

void run_report_on(const uint8_t* data, size_t size);

}  // namespace contend::fuzz
