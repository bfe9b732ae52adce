#!/usr/bin/env bash
# Artifact store throughput, local folder against S3 (moto's S3 server, from the python3 first on PATH),
# 1 MiB and 100 MiB files, twice. Usage: bench/artifact_bench.sh [build-dir]
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m moto.server -H 127.0.0.1 -p "$port" >/dev/null 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.1
done
for run in 1 2; do
  echo "run $run:"
  "$build/artifact_store_bench" "http://127.0.0.1:$port" "grove-bench-$run"
done
