#!/usr/bin/env bash
# The fleet pipeline end to end (seed 004): N dimensions derived from the churn
# data (grove datasets make-fleet, 5,000 rows each), every one prepared,
# trained (50 rounds), evaluated, gated, analysed, checked, registered and
# deployed in one execution of examples/fleet.yaml, from a cold cache on a new
# data folder, with the default in-process launcher. Goal: 100 dimensions in
# under 30 s on 2 cores; the reference system takes about 45 minutes for 3.
# Then the same execution again, every step but the side effects from the cache.
# Usage: bench/fleet_bench.sh [build-dir] [dims] [runs]
set -euo pipefail
build=${1:-build}
dims=${2:-100}
runs=${3:-2}
cd "$(dirname "$0")/.."
grove="$PWD/$build/grove"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$grove" datasets make-fleet --dims "$dims" --out "$work/fleet" >/dev/null
echo "fleet pipeline, $dims dimensions x 5000 rows, $(nproc) cores, in-process launcher"
for run in $(seq 1 "$runs"); do
  export GROVE_HOME="$work/home-$run"
  t0=$EPOCHREALTIME
  "$grove" run examples/fleet.yaml -p InputData="$work/fleet/fleet.csv" >/dev/null
  t1=$EPOCHREALTIME
  "$grove" run examples/fleet.yaml -p InputData="$work/fleet/fleet.csv" >/dev/null
  t2=$EPOCHREALTIME
  models=$("$grove" endpoint list --json | python3 -c 'import json,sys; print(sum(len(e["models"]) for e in json.load(sys.stdin)))')
  python3 -c "print(f'run $run: cold {$t1 - $t0:.1f} s (goal < 30 s; reference: ~45 min for 3 models), cached re-run {$t2 - $t1:.1f} s, $models models live')"
done
