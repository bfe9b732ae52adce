#!/usr/bin/env bash
# Runs ctest in a sanitized build folder (make test-asan, test-asan-unit, test-tsan) and fails when any process
# left a sanitizer report. The tests' environment (CMakeLists.txt) sends every report to
# <build>/sanitizer-reports/<tool>.<pid> instead of stderr, because a `grove server` a Python test starts has
# nobody reading its stderr or exit status: without this, a race or leak in the server would pass unseen.
# Usage: scripts/sanitized_ctest.sh <build folder> [ctest arguments ...]
set -uo pipefail
cd "$(dirname "$0")/.."
build=$1
shift
reports=$build/sanitizer-reports
rm -rf "$reports"
mkdir -p "$reports"
(cd "$build" && ctest "$@")
status=$?
mapfile -t found < <(find "$reports" -type f | sort)
if (( ${#found[@]} > 0 )); then
  for report in "${found[@]}"; do
    echo "==== sanitizer report $report"
    cat "$report"
  done
  echo "sanitized_ctest: ${#found[@]} sanitizer report(s) in $reports (above)" >&2
  exit 1
fi
exit $status
