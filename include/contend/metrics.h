// The Prometheus metrics contend writes, shared by `contend-report -f
// prometheus` and the recorder's live file (CONTEND_PROM_FILE), so that one
// dashboard reads both: the same names, labels and histogram buckets.
#pragma once

#include <cstdint>

namespace contend::metrics {

// Upper bounds of the wait histogram's buckets (`le`), in nanoseconds; the
// +Inf bucket follows. Decades: a lock wait spans 100 ns to seconds.
inline constexpr uint64_t kWaitBucketsNs[] = {1'000,      10'000,      100'000,       1'000'000,
                                              10'000'000, 100'000'000, 1'000'000'000, 10'000'000'000};
inline constexpr int kWaitBuckets = sizeof(kWaitBucketsNs) / sizeof(kWaitBucketsNs[0]);
// The same bounds as the `le` label spells them, in seconds.
inline constexpr const char* kWaitBucketsLe[] = {"1e-06", "1e-05", "0.0001", "0.001",
                                                 "0.01",  "0.1",   "1",      "10"};
static_assert(sizeof(kWaitBucketsLe) / sizeof(kWaitBucketsLe[0]) == kWaitBuckets);

// Names (every series is labelled lock, kind and address; "other" stands for
// the locks past the top N, per kind).
inline constexpr const char* kAcquisitions = "contend_lock_acquisitions_total";
inline constexpr const char* kContended = "contend_lock_contended_total";
inline constexpr const char* kWaitSeconds = "contend_lock_wait_seconds_total";
inline constexpr const char* kHoldSeconds = "contend_lock_hold_seconds_total";
inline constexpr const char* kWaitDuration = "contend_lock_wait_duration_seconds";  // histogram

}  // namespace contend::metrics
