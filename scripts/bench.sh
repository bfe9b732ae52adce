#!/usr/bin/env bash
# Runs every benchmark program built under <build>/ (see bench/).
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
"$build/pipeline_bench"
