#!/usr/bin/env bash
# Builds the libFuzzer targets in the sanitized clang build folder (scripts/configure_asan.sh) and runs each
# for FUZZ_SECONDS seconds (default 30) over a copy of its seed corpus (fuzz/corpus/<name>/, with fuzz/<name>.dict when there is one).
# Any crash, sanitizer report, leak, timeout or out-of-memory fails the run; the input that caused it is kept
# in <build>/fuzz-runs/<name>/ and named in the output.
# Usage: fuzz/run.sh [build folder, default build-asan] [name_fuzz ...]   (default: every fuzz/*_fuzz.cc)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-asan}
shift || true
seconds=${FUZZ_SECONDS:-30}
jobs=${JOBS:-$(nproc)}

scripts/configure_asan.sh "$build"

targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  for source in fuzz/*_fuzz.cc; do targets+=("$(basename "$source" .cc)"); done
fi
cmake --build "$build" -j "$jobs" --target "${targets[@]}"

failed=()
for target in "${targets[@]}"; do
  name=${target%_fuzz}
  run=$build/fuzz-runs/$name
  rm -rf "$run"
  mkdir -p "$run/corpus"
  cp -r "fuzz/corpus/$name/." "$run/corpus/"
  options=(-max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1
           -artifact_prefix="$run/")
  if [[ -f fuzz/$name.dict ]]; then options+=(-dict="fuzz/$name.dict"); fi
  echo "fuzz: $target for ${seconds}s ($(ls "$run/corpus" | wc -l) seeds)"
  if "$build/fuzz/$target" "${options[@]}" "$run/corpus" >"$run/log" 2>&1; then
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb)|^Done" "$run/log" | tr '\n' ' ' | sed 's/^/fuzz:   /'
    echo
  else
    echo "fuzz: $target FAILED; the end of $run/log:"
    tail -40 "$run/log"
    ls "$run"/crash-* "$run"/leak-* "$run"/timeout-* "$run"/oom-* 2>/dev/null || true
    failed+=("$target")
  fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: ${#failed[@]} of ${#targets[@]} targets failed: ${failed[*]}"
  exit 1
fi
echo "fuzz: ${#targets[@]} passed, 0 failed"
