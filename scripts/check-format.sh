#!/bin/sh
# Fails when a C or C++ file differs from what clang-format makes of it.
set -eu
cd "$(dirname "$0")/.."
git ls-files '*.c' '*.cpp' '*.h' | xargs clang-format --dry-run --Werror
echo "check-format: clean"
