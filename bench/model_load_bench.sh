#!/usr/bin/env bash
# Cold loads and 10,000 models (issue 14), all in one run on this machine:
#   nginx (1 worker) serving a static body as large as a prediction answer: the ceiling;
#   (i)   `grove server` answering single-row invocations of one model (always loaded);
#   (ii)  10,000 registered models on one multi-model endpoint, budget 1,000 loaded
#         (--max-models), a uniformly random model per request (90% misses): req/s,
#         hit rate, cold-load time, resident memory, and the ratio to (i);
#   (iii) a hot model's p99 at a fixed rate alone, then while a second wrk sends a flood of hits
#         (HIT_MODELS models, loaded) and then a flood of misses (random models) at the same fixed rate.
# The models' compiled files are written at setup (as their first load would), so
# (ii) measures loads that map them.
#
# Usage: bench/model_load_bench.sh [build dir, default build]
#   DURATION=10s      wrk duration per run
#   MODELS=10000      models; BUDGET=1000 loaded at most
#   IO_THREADS=1      server I/O threads; LOADER_THREADS=1 its loader threads
#   CONNS=32          wrk connections for (i), (ii) and the floods of (iii); HOT_CONNS=8 for the hot model
#   HOT_DELAY_MS=1    (iii): each hot connection waits this long between requests (about 7k req/s);
#   FLOOD_DELAY_MS=4  each flood connection this long (about 7k req/s); HIT_MODELS=500 models the hits use
# Needs wrk and nginx (scripts/setup.sh --bench installs them).
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD=${1:-build}
GROVE=$BUILD/grove
DURATION=${DURATION:-10s}
MODELS=${MODELS:-10000}
BUDGET=${BUDGET:-1000}
IO_THREADS=${IO_THREADS:-1}
LOADER_THREADS=${LOADER_THREADS:-1}
CONNS=${CONNS:-32}
HOT_CONNS=${HOT_CONNS:-8}
HOT_DELAY_MS=${HOT_DELAY_MS:-1}
FLOOD_DELAY_MS=${FLOOD_DELAY_MS:-4}
HIT_MODELS=${HIT_MODELS:-500}
NGINX_PORT=${NGINX_PORT:-18091}
GROVE_PORT=${GROVE_PORT:-18093}

for binary in "$GROVE" "$BUILD/serving_setup"; do
  [[ -x $binary ]] || { echo "$binary not found: build first (make build)" >&2; exit 2; }
done
source bench/wrk_lib.sh

metric() { curl -s "http://127.0.0.1:$GROVE_PORT/metrics" | awk -v name="$1" '$1 == name {print $2}'; }
rss_mb() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

# --- Models ---------------------------------------------------------------
export GROVE_HOME=$work/home
"$GROVE" run examples/abalone.yaml -q -p ModelApprovalStatus=Approved
"$GROVE" endpoint create one --follow AbalonePackageGroup >/dev/null
start=$(date +%s.%N)
"$BUILD/serving_setup" "$GROVE_HOME" AbalonePackageGroup/1 "$MODELS" compile >/dev/null
setup_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
ROW="0.1,-0.2,0.3,-0.4,0.5,-0.6,0.7,0,1,0"   # One transformed Abalone feature row.
"$GROVE" invoke one --data "$ROW" | tr -d ' \n' | sed 's/,"model":"[^"]*"//' >"$work/answer"

printf 'wrk.method = "POST"\nwrk.body = "%s"\nwrk.headers["Content-Type"] = "text/csv"\n' "$ROW" >"$work/one.lua"
random_models() {  # $1: how many models; $2: delay between a connection's requests, in ms (0: none).
  cat <<LUA
local body = "$ROW"
request = function()
  local model = string.format("bench-model-%04d", math.random(0, $1 - 1))
  return wrk.format("POST", nil, {["Content-Type"] = "text/csv", ["X-Grove-Model"] = model}, body)
end
LUA
  (($2 > 0)) && echo "function delay() return $2 end"
  return 0
}
random_models "$MODELS" 0 >"$work/many.lua"
random_models "$MODELS" "$FLOOD_DELAY_MS" >"$work/many_rate.lua"
random_models "$HIT_MODELS" "$FLOOD_DELAY_MS" >"$work/hits_rate.lua"
{ cat "$work/one.lua"; echo "function delay() return $HOT_DELAY_MS end"; } >"$work/one_rate.lua"

echo "# $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); wrk -t1 -d$DURATION;" \
  "server --io-threads $IO_THREADS --loader-threads $LOADER_THREADS; $MODELS models registered and compiled" \
  "in ${setup_s} s"
print_header
mkdir -p "$work/www"
cp "$work/answer" "$work/www/answer.json"
start_nginx "$work/www" "$NGINX_PORT" application/json
run_wrk "nginx static answer" "http://127.0.0.1:$NGINX_PORT/answer.json" "$CONNS"
stop_last

url="http://127.0.0.1:$GROVE_PORT/api/v1/endpoints"
"$GROVE" server --listen "127.0.0.1:$GROVE_PORT" --auth off --io-threads "$IO_THREADS" \
  --loader-threads "$LOADER_THREADS" --max-models "$BUDGET" >"$work/server.log" 2>&1 &
pids+=($!)
server=${pids[-1]}
wait_port "$GROVE_PORT"

# (i) One model.
single=$(run_wrk "(i) grove, 1 model" "$url/one/invocations" "$CONNS" -s "$work/one.lua")
echo "$single"
rss_one=$(rss_mb "$server")

# (ii) 10,000 models, budget 1,000: a first run fills the budget, the second is measured.
DURATION=5s run_wrk "(ii) warm-up (fills the budget)" "$url/many/invocations" "$CONNS" -s "$work/many.lua" >/dev/null
ok0=$(metric 'grove_invocations_total{code="2xx"}')
loads0=$(metric grove_model_cache_loads_total); secs0=$(metric grove_model_cache_load_seconds_total)
many=$(run_wrk "(ii) grove, $MODELS models/$BUDGET" "$url/many/invocations" "$CONNS" -s "$work/many.lua")
echo "$many"
ok=$(metric 'grove_invocations_total{code="2xx"}')
loads=$(metric grove_model_cache_loads_total); secs=$(metric grove_model_cache_load_seconds_total)
loaded=$(metric grove_model_cache_loaded_models); loaded_bytes=$(metric grove_model_cache_loaded_bytes)
rss_many=$(rss_mb "$server")
# A request that waits for the loader pool counts a miss, then a hit when it is answered; so the hit rate
# is the share of requests that needed no load: 1 - loads / requests.
awk -v q=$((ok - ok0)) -v l=$((loads - loads0)) -v s0="$secs0" -v s1="$secs" \
  -v one="$(awk '{print $(NF-2)}' <<<"$single")" -v many="$(awk '{print $(NF-2)}' <<<"$many")" \
  -v r1="$rss_one" -v r2="$rss_many" -v n="$loaded" -v b="$loaded_bytes" \
  'BEGIN { printf "    hit rate %.1f%% (%d loads for %d requests), %.1f us per cold load on average; ratio to (i) %.1f%%\n",
           100 * (1 - l / q), l, q, l ? 1e6 * (s1 - s0) / l : 0, 100 * many / one;
           printf "    RSS %.1f MB with 1 model, %.1f MB with %d loaded (estimated %.1f MB): %.1f KB per model\n",
           r1, r2, n, b / 1048576, 1024 * (r2 - r1) / (n > 1 ? n - 1 : 1) }'

# (iii) A hot model's tail at a fixed rate: alone, during a flood of hits (models already loaded) and
# during a flood of misses at the same rate. The two floods cost the I/O thread the same HTTP work; what
# a miss adds is its load, on the loader pool. So the goal's comparison is misses against hits.
run_wrk "(iii) hot model alone" "$url/one/invocations" "$HOT_CONNS" -s "$work/one_rate.lua"
alone_p99=$WRK_P99
flood_s=$(( ${DURATION%s} + 2 ))
during_flood() {  # $1: label, $2: the flood's script.
  wrk -t1 -c"$CONNS" -d"${flood_s}s" -s "$2" "$url/many/invocations" >"$work/flood.txt" &
  local flood=$!
  sleep 1
  run_wrk "$1" "$url/one/invocations" "$HOT_CONNS" -s "$work/one_rate.lua"
  wait "$flood"
  awk '/^Requests\/sec/ {printf "    the flood: %s req/s\n", $2}' "$work/flood.txt"
}
DURATION=5s measure_wrk "(iii) loading the flood's hits" "$url/many/invocations" "$CONNS" -s "$work/hits_rate.lua"
during_flood "(iii) hot model, flood of hits" "$work/hits_rate.lua"
hits_p99=$WRK_P99
during_flood "(iii) hot model, flood of misses" "$work/many_rate.lua"
awk -v a="$(latency_us "$alone_p99")" -v h="$(latency_us "$hits_p99")" -v m="$(latency_us "$WRK_P99")" \
  'BEGIN { printf "    hot p99 during misses against during hits: %+.0f%% (against alone: %+.0f%%)\n",
           100 * (m / h - 1), 100 * (m / a - 1) }'
