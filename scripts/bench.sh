#!/usr/bin/env bash
# Runs every benchmark (see bench/ and docs/performance.md). Each prints its
# figure next to the comparison it names, measured in the same run.
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
"$build/pipeline_bench"
echo
"$build/tuning_bench"
echo
"$build/serving_predict_bench"
echo
bench/http_bench.sh "$build/api_test"
echo
bench/serving_bench.sh "$build"
echo
bench/model_load_bench.sh "$build"
echo
bench/queue_bench.sh "$build"
echo
bench/sagemaker_bench.sh "$build"
echo
python3 bench/sagemaker_pipeline_bench.py "$build"
echo
bench/fleet_bench.sh "$build"

echo
node bench/console_bench.mjs "$build"
echo
bench/artifact_bench.sh "$build"
echo
bench/registry_store_bench.sh "$build"
echo
bench/slurm_bench.sh "$build"
