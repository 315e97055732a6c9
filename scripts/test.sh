#!/bin/sh
# README command (b), and what CI runs: install, build with warnings as
# errors, run every test; then the unit and in-process tests again under
# ASan+UBSan and under TSan; a one-minute fuzzing run of the analyzer; then
# the formatting check.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
JOBS=$(nproc)

echo "== release build, all tests"
cmake -S . -B build-ci -G Ninja -DCMAKE_BUILD_TYPE=Release -DCONTEND_WERROR=ON >/dev/null
cmake --build build-ci
ctest --test-dir build-ci --output-on-failure -j "$JOBS"

for san in address,undefined thread; do
  dir="build-ci-$(echo "$san" | cut -d, -f1)"
  echo "== $san sanitizer build, unit and in-process tests"
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCONTEND_WERROR=ON \
    -DCONTEND_SANITIZE="$san" -DCONTEND_BUILD_EXAMPLES=OFF -DCONTEND_BUILD_BENCH=OFF >/dev/null
  cmake --build "$dir"
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 TSAN_OPTIONS=halt_on_error=1 \
    ctest --test-dir "$dir" --output-on-failure -j "$JOBS" -L unit
done

echo "== fuzzing the analyzer for 60 s (fuzz/README.md)"
log=$(mktemp)
if ! FUZZ_DIR=build-ci-fuzz scripts/fuzz.sh 60 >"$log" 2>&1; then
  tail -n 40 "$log"
  echo "== fuzzing found a problem: build-ci-fuzz/crash-* (copy it to fuzz/regressions)"
  exit 1
fi
grep -E "stat::(number_of_executed_units|average_exec_per_sec)" "$log" || true
rm -f "$log"

echo "== formatting"
scripts/check-format.sh
echo "== all tests passed"
