// `contend-report --dump`: every record of a trace, one line each, as
// perf script prints samples. For debugging the recorder and the format.
#pragma once

#include <cstdio>
#include <string>

namespace contend::analyze {

// Writes the dump to `out`; throws TraceError like the reader.
void dump_trace(const std::string& path, std::FILE* out);

}  // namespace contend::analyze
