#!/bin/sh
# Fuzzes contend-report's pipeline (fuzz/README.md): builds build-fuzz with
# clang, libFuzzer, ASan and UBSan, then runs from fuzz/seeds.
#
#   scripts/fuzz.sh [SECONDS [LIBFUZZER OPTIONS...]]   (default 60; 0: no time limit)
#
# New interesting inputs go to build-fuzz/corpus (the seeds stay as they
# are); a crash leaves crash-* in build-fuzz: copy it to fuzz/regressions.
# FUZZ_DIR picks another build directory (CI uses build-ci-fuzz).
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-60}
[ $# -gt 0 ] && shift
dir=${FUZZ_DIR:-build-fuzz}
CC=clang CXX=clang++ cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCONTEND_FUZZ=ON >/dev/null
cmake --build "$dir" --target fuzz_report
mkdir -p "$dir/corpus"
cd "$dir"
limit=""
[ "$seconds" -gt 0 ] && limit="-max_total_time=$seconds"
# -timeout: an input that takes over 10 s is a hang; -rss_limit_mb bounds memory.
exec ./bin/fuzz_report $limit -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$@" corpus ../fuzz/seeds
