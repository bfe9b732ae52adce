#!/usr/bin/env bash
# HTTP layer load benchmark: Grove's HttpServer serving a fixed 34-byte body
# against nginx (1 worker) serving a static 34-byte file, in the same run, with
# `wrk -t1` at 32 and 64 connections, reporting requests/s and p50/p99.
#
# Usage: bench/http_bench.sh [path/to/api_test]
#   DURATION=10s        wrk duration per run
#   GROVE_THREADS="0 1" I/O thread counts to try (0 = one per core)
# Needs wrk and nginx (scripts/setup.sh --bench). The Grove side is
# the hidden gtest case HttpServerBench.DISABLED_ServeFixedBody in api_test,
# because the HTTP layer has no server binary of its own yet.
set -euo pipefail

API_TEST=${1:-$(dirname "$0")/../build/api_test}
DURATION=${DURATION:-10s}
GROVE_THREADS=${GROVE_THREADS:-"0 1"}
NGINX_PORT=${NGINX_PORT:-18081}
GROVE_PORT=${GROVE_PORT:-18082}
BODY=0123456789012345678901234567890123   # 34 bytes, as the Grove case serves.

[[ -x $API_TEST ]] || { echo "api_test not found at $API_TEST (build target api_test)" >&2; exit 2; }
source "$(dirname "$0")/wrk_lib.sh"

mkdir -p "$work/www"
printf '%s' "$BODY" >"$work/www/body.txt"

echo "# $(nproc) cores; wrk -t1 -d$DURATION; body 34 bytes"
print_header
start_nginx "$work/www" "$NGINX_PORT" text/plain
for c in 32 64; do run_wrk "nginx (1 worker)" "http://127.0.0.1:$NGINX_PORT/body.txt" "$c"; done
stop_last

seconds=$(( 2 * ${DURATION%s} + 5 ))
for threads in $GROVE_THREADS; do
  GROVE_BENCH_PORT=$GROVE_PORT GROVE_BENCH_SECONDS=$seconds GROVE_BENCH_THREADS=$threads \
    "$API_TEST" --gtest_also_run_disabled_tests --gtest_filter='HttpServerBench.DISABLED_ServeFixedBody' \
    >"$work/grove.log" 2>&1 &
  pids+=($!)
  wait_port "$GROVE_PORT"
  label="grove ($([[ $threads == 0 ]] && echo "$(nproc)" || echo "$threads") io threads)"
  for c in 32 64; do run_wrk "$label" "http://127.0.0.1:$GROVE_PORT/" "$c"; done
  stop_last
done
