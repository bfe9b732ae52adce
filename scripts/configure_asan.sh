#!/usr/bin/env bash
# Configures the sanitized clang build folder (default build-asan) unless it is configured already: every library,
# test and the grove binary under ASan+UBSan (LeakSanitizer with them), and the libFuzzer targets of fuzz/ beside
# them (GROVE_FUZZ), so `make test-asan`, `make test-asan-unit` and `make fuzz` compile the libraries once.
# No precompiled headers (ccache caches clang's here only without them); no console (JavaScript, nothing to
# sanitize; the browser tests are left to `make test`).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-asan}
if ! command -v clang++ >/dev/null 2>&1; then
  echo "configure_asan: clang++ not found (scripts/setup.sh --fuzz installs it)" >&2
  exit 1
fi
if [[ ! -f $build/build.ninja ]]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DGROVE_FUZZ=ON -DGROVE_PCH=OFF -DGROVE_CONSOLE=OFF
fi
