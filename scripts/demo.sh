#!/bin/sh
# README command (a): install, build, profile the bundled allocator example
# and print its hotspot report.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build
echo
echo "== profiling: build/bin/alloc_pool 4 400000 1024"
CONTEND_OUTPUT=build/alloc_pool.trace LD_PRELOAD="$PWD/build/lib/libcontend.so" build/bin/alloc_pool 4 400000 1024
echo
echo "== contend-report build/alloc_pool.trace"
build/bin/contend-report build/alloc_pool.trace
