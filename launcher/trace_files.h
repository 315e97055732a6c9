// After the run: which trace files the profiled processes wrote.
#pragma once

#include <ctime>
#include <string>
#include <vector>

namespace contend::launch {

// Files written for `pattern` (CONTEND_OUTPUT: "%p" for the pid; otherwise
// PATH and the PATH.PID files of children) modified at or after `since`.
std::vector<std::string> find_traces(const std::string& pattern, time_t since);

}  // namespace contend::launch
