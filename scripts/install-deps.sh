#!/bin/sh
# Installs everything contend needs to build and test, from Debian 12's
# packages only. Idempotent: installs nothing when all is present.
set -eu

PACKAGES="
  g++ cmake ninja-build pkg-config make python3 git
  libunwind-dev libfmt-dev libspdlog-dev libcli11-dev libdw-dev libelf-dev libiberty-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang clang-format libclang-rt-14-dev
  sysbench stress-ng pigz libjemalloc2 libtcmalloc-minimal4 valgrind
  xz-utils zstd nodejs memcached libmemcached-tools rocksdb-tools mariadb-server debuginfod
  protobuf-compiler libprotobuf-dev zlib1g-dev golang-github-google-pprof-dev golang-go prometheus
  libgomp1 libc6-dbg imagemagick python3-seccomp
  chromium
"
# The Rust test program needs a rustc; Debian's, unless one is on PATH.
command -v rustc >/dev/null 2>&1 || PACKAGES="$PACKAGES rustc"
# npm comes with some builds of nodejs; Debian's is a package of its own.
command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES npm"

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

# The browser tests' npm packages (tests/browser/package-lock.json), into
# tests/browser/node_modules, whenever the lock file is newer than them.
browser_modules() {
  dir="$(dirname "$0")/../tests/browser"
  stamp="$dir/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$dir/package-lock.json" -nt "$stamp" ]; then
    echo "install-deps: npm ci in tests/browser"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

if [ -z "$missing" ]; then
  echo "install-deps: all packages present"
  browser_modules
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# Debian's libunwind-dev replaces LLVM's libunwind-14-dev if that is present.
$SUDO apt-get install -y -qq --no-install-recommends $missing
browser_modules
