#!/usr/bin/env bash
# HTTP layer load benchmark: Grove's HttpServer serving a fixed 34-byte body
# against nginx (1 worker) serving a static 34-byte file, in the same run, with
# `wrk -t1` at 32 and 64 connections, reporting requests/s and p50/p99.
#
# Usage: bench/http_bench.sh [path/to/api_test]
#   DURATION=10s        wrk duration per run
#   GROVE_THREADS="0 1" I/O thread counts to try (0 = one per core)
# Needs wrk and nginx (Debian: apt-get install -y wrk nginx). The Grove side is
# the hidden gtest case HttpServerBench.DISABLED_ServeFixedBody in api_test,
# because the HTTP layer has no server binary of its own yet.
set -euo pipefail

API_TEST=${1:-$(dirname "$0")/../build/api_test}
DURATION=${DURATION:-10s}
GROVE_THREADS=${GROVE_THREADS:-"0 1"}
NGINX_PORT=${NGINX_PORT:-18081}
GROVE_PORT=${GROVE_PORT:-18082}
BODY=0123456789012345678901234567890123   # 34 bytes, as the Grove case serves.

command -v wrk >/dev/null || { echo "wrk not found (apt-get install -y wrk)" >&2; exit 2; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x $NGINX ]] || { echo "nginx not found (apt-get install -y nginx)" >&2; exit 2; }
[[ -x $API_TEST ]] || { echo "api_test not found at $API_TEST (build target api_test)" >&2; exit 2; }

work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_port() {  # Waits until something accepts on 127.0.0.1:$1.
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "nothing listening on port $1" >&2
  return 1
}

# Prints "label conns req/s p50 p99" from one wrk run.
run_wrk() {
  local label=$1 url=$2 conns=$3 out
  out=$(wrk -t1 -c"$conns" -d"$DURATION" --latency "$url")
  local rps p50 p99
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  printf '%-22s %5s %12s %10s %10s\n' "$label" "$conns" "$rps" "$p50" "$p99"
}

mkdir -p "$work/www" "$work/logs"
printf '%s' "$BODY" >"$work/www/body.txt"
chmod -R a+rX "$work/www"
cat >"$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/logs/error.log;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;   # Keep-alive throughout, as Grove does.
  open_file_cache max=64;       # No open/close per request: nginx at its best.
  client_body_temp_path $work/body;
  proxy_temp_path $work/proxy;
  fastcgi_temp_path $work/fastcgi;
  uwsgi_temp_path $work/uwsgi;
  scgi_temp_path $work/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $work/www;
    default_type text/plain;
  }
}
EOF

echo "# $(nproc) cores; wrk -t1 -d$DURATION; body 34 bytes"
printf '%-22s %5s %12s %10s %10s\n' server conns req/s p50 p99

"$NGINX" -p "$work" -c "$work/nginx.conf" &
pids+=($!)
wait_port "$NGINX_PORT"
for c in 32 64; do run_wrk "nginx (1 worker)" "http://127.0.0.1:$NGINX_PORT/body.txt" "$c"; done
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

seconds=$(( 2 * ${DURATION%s} + 5 ))
for threads in $GROVE_THREADS; do
  GROVE_BENCH_PORT=$GROVE_PORT GROVE_BENCH_SECONDS=$seconds GROVE_BENCH_THREADS=$threads \
    "$API_TEST" --gtest_also_run_disabled_tests --gtest_filter='HttpServerBench.DISABLED_ServeFixedBody' \
    >"$work/grove.log" 2>&1 &
  pids+=($!)
  wait_port "$GROVE_PORT"
  label="grove ($([[ $threads == 0 ]] && echo "$(nproc)" || echo "$threads") io threads)"
  for c in 32 64; do run_wrk "$label" "http://127.0.0.1:$GROVE_PORT/" "$c"; done
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
done
