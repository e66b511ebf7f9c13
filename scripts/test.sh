#!/usr/bin/env bash
# Build and run every test: the Check suites and end-to-end tests in a plain
# -Werror build, again under AddressSanitizer + UndefinedBehaviorSanitizer,
# then the clang-format check.  Usage: scripts/test.sh   (from anywhere)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
scripts/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)

run_suite() { # build-dir, extra cmake args...
  local dir=$1
  shift
  cmake -S . -B "$dir" -DPROJ_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs"
}

echo "== plain build (-Werror) =="
run_suite build/test -DCMAKE_BUILD_TYPE=RelWithDebInfo
echo "== AddressSanitizer + UndefinedBehaviorSanitizer =="
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  run_suite build/asan -DCMAKE_BUILD_TYPE=Debug -DPROJ_SANITIZE=address,undefined
echo "== clang-format =="
cmake --build build/test --target format-check
echo "all tests passed"
