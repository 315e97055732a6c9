// contend trace format, version 1: everything the recorder (preload/) and
// the reader (analyzer/) share about the file, in three parts (each
// includes the parts it builds on: records, then the recorder's own, then
// the kinds' list). The prose description lives in
// docs/TRACE_FORMAT.md.
#pragma once

#include <contend/record_kinds.h>      // every kind's size and name, headers built from the types
#include <contend/recorder_records.h>  // the records in which the recorder reports on itself
#include <contend/trace_records.h>     // the file header and the records of the trace
