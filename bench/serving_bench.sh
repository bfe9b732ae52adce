#!/usr/bin/env bash
# Serving benchmark (issue 3), all in one run on this machine:
#   (a) nginx (1 worker) serving a static body as large as a prediction answer: the ceiling;
#   (b) `grove server` answering single-row invocations of the compiled 50-tree
#       Abalone model (examples/abalone.yaml's hyperparameters), CSV in, JSON out;
#   (c) 1,000 registered models on one multi-model endpoint with a budget of 100
#       loaded, a random model per request: hit rate, cold-load time, throughput.
# Each with `wrk -t1` at 32 and 64 connections: requests/s, p50, p99.
#
# Usage: bench/serving_bench.sh [build dir, default build]
#   DURATION=10s   wrk duration per run
#   MODELS=1000    models for (c); BUDGET=100 loaded at most
#   GROVE_THREADS="1 0"  server I/O thread counts to try (0 = one per core, the
#                  default of `grove server`; 1 matches nginx's one worker and
#                  leaves wrk a core of its own on a 2-core machine)
# Needs wrk and nginx (scripts/setup.sh --bench installs them).
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD=${1:-build}
GROVE=$BUILD/grove
DURATION=${DURATION:-10s}
MODELS=${MODELS:-1000}
BUDGET=${BUDGET:-100}
NGINX_PORT=${NGINX_PORT:-18081}
GROVE_PORT=${GROVE_PORT:-18083}
GROVE_THREADS=${GROVE_THREADS:-"1 0"}

for binary in "$GROVE" "$BUILD/serving_setup"; do
  [[ -x $binary ]] || { echo "$binary not found: build first (make build)" >&2; exit 2; }
done
source bench/wrk_lib.sh

# A counter's value from the server's /metrics.
metric() { curl -s "http://127.0.0.1:$GROVE_PORT/metrics" | awk -v name="$1" '$1 == name {print $2}'; }

# --- Models ---------------------------------------------------------------
export GROVE_HOME=$work/home
"$GROVE" run examples/abalone.yaml -q -p ModelApprovalStatus=Approved
"$GROVE" endpoint create one --follow AbalonePackageGroup >/dev/null
"$BUILD/serving_setup" "$GROVE_HOME" AbalonePackageGroup/1 "$MODELS" >/dev/null
ROW="0.1,-0.2,0.3,-0.4,0.5,-0.6,0.7,0,1,0"   # One transformed Abalone feature row.
"$GROVE" invoke one --data "$ROW" | tr -d ' \n' | sed 's/,"model":"[^"]*"//' >"$work/answer"

printf 'wrk.method = "POST"\nwrk.body = "%s"\nwrk.headers["Content-Type"] = "text/csv"\n' "$ROW" >"$work/one.lua"
cat >"$work/many.lua" <<LUA
local body = "$ROW"
request = function()
  local model = string.format("bench-model-%04d", math.random(0, $MODELS - 1))
  return wrk.format("POST", nil, {["Content-Type"] = "text/csv", ["X-Grove-Model"] = model}, body)
end
LUA

# --- (a) nginx --------------------------------------------------------------
mkdir -p "$work/www"
cp "$work/answer" "$work/www/answer.json"
echo "# $(nproc) cores; wrk -t1 -d$DURATION; answer $(wc -c <"$work/answer") bytes: $(cat "$work/answer")"
print_header
start_nginx "$work/www" "$NGINX_PORT" application/json
for c in 32 64; do run_wrk "(a) nginx static answer" "http://127.0.0.1:$NGINX_PORT/answer.json" "$c"; done
stop_last

# --- (b) and (c) grove server -------------------------------------------------
url="http://127.0.0.1:$GROVE_PORT/api/v1/endpoints"
for threads in $GROVE_THREADS; do
  "$GROVE" server --listen "127.0.0.1:$GROVE_PORT" --auth off --io-threads "$threads" --max-models "$BUDGET" \
    >"$work/server.log" 2>&1 &
  pids+=($!)
  wait_port "$GROVE_PORT"
  io="$([[ $threads == 0 ]] && nproc || echo "$threads") io"
  for c in 32 64; do run_wrk "(b) grove $io, 1 model" "$url/one/invocations" "$c" -s "$work/one.lua"; done
  for c in 32 64; do
    hits0=$(metric grove_model_cache_hits_total); misses0=$(metric grove_model_cache_misses_total)
    loads0=$(metric grove_model_cache_loads_total); secs0=$(metric grove_model_cache_load_seconds_total)
    run_wrk "(c) grove $io, $MODELS models/$BUDGET" "$url/many/invocations" "$c" -s "$work/many.lua"
    hits=$(metric grove_model_cache_hits_total); misses=$(metric grove_model_cache_misses_total)
    loads=$(metric grove_model_cache_loads_total); secs=$(metric grove_model_cache_load_seconds_total)
    awk -v h=$((hits - hits0)) -v m=$((misses - misses0)) -v l=$((loads - loads0)) -v s0="$secs0" -v s1="$secs" \
      'BEGIN { printf "    hit rate %.1f%% (%d of %d); %d cold loads, %.3f ms each on average\n",
               100 * h / (h + m), h, h + m, l, l ? 1000 * (s1 - s0) / l : 0 }'
  done
  stop_last
done
