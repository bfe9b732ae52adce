#!/usr/bin/env bash
# The registry at 100,000 versions: SQLite against PostgreSQL (a throw-away server from scripts/postgres.sh, one
# fresh database per run), twice. Usage: bench/registry_store_bench.sh [build-dir] [versions]
set -euo pipefail
build=${1:-build}
versions=${2:-100000}
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
chmod 755 "$dir"
trap 'scripts/postgres.sh stop "$dir/pg"; rm -rf "$dir"' EXIT
url=$(scripts/postgres.sh start "$dir/pg")
base=${url%/*}
for run in 1 2; do
  echo "run $run:"
  "$build/registry_store_bench" "$base/registry_bench_$run" "$versions"
done
