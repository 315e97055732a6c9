// contend trace format, version 1: everything the recorder (preload/) and
// the reader (analyzer/) share about the file, in three parts included in
// order (no part includes a later one). The prose description lives in
// docs/TRACE_FORMAT.md.
#pragma once

#include <contend/trace_records.h>     // the file header and the records of the trace
#include <contend/recorder_records.h>  // the records in which the recorder reports on itself
#include <contend/record_kinds.h>      // every kind's size and name, headers built from the types
