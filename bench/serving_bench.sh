#!/usr/bin/env bash
# Serving benchmark (issues 3 and 14), all in one run on this machine:
#   (a) nginx (1 worker) serving a static body as large as a prediction answer: the ceiling;
#   (b) `grove server` answering single-row invocations of the compiled 50-tree
#       Abalone model (examples/abalone.yaml's hyperparameters) in every payload
#       format the invocation routes accept, each with its ratio to (a) in this run:
#       CSV feature row; CSV raw row (X-Grove-Input: raw, through the fitted
#       transform); JSON {"instances": [[...]]}; JSON {"instances": [{"features": [...]}]};
#       seed 000's {"model": ..., "data": "<raw CSV row>"} on a multi-model endpoint;
#       a CSV answer (Accept: text/csv); SageMaker's InvokeEndpoint as boto3 sends it.
#       nginx is measured again right before each format (the machine's load drifts),
#       and each format's ratios are to that measurement;
# Each with `wrk -t1`: requests/s, p50, p99.
#
# Usage: bench/serving_bench.sh [build dir, default build]
#   DURATION=10s   wrk duration per run
#   CONNS="32 64"  connection counts
#   GROVE_THREADS="1"  server I/O thread counts to try (0 = one per core, the
#                  default of `grove server`; 1 matches nginx's one worker and
#                  leaves wrk a core of its own on a 2-core machine)
# Many models on one endpoint are bench/model_load_bench.sh's.
# Needs wrk and nginx (scripts/setup.sh --bench installs them).
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD=${1:-build}
GROVE=$BUILD/grove
DURATION=${DURATION:-10s}
NGINX_PORT=${NGINX_PORT:-18081}
GROVE_PORT=${GROVE_PORT:-18083}
GROVE_THREADS=${GROVE_THREADS:-"1"}
CONNS=${CONNS:-"32 64"}

[[ -x $GROVE ]] || { echo "$GROVE not found: build first (make build)" >&2; exit 2; }
source bench/wrk_lib.sh
source bench/serving_formats.sh

# --- Models ---------------------------------------------------------------
export GROVE_HOME=$work/home
"$GROVE" run examples/abalone.yaml -q -p ModelApprovalStatus=Approved
create_format_endpoints "$GROVE"
"$GROVE" invoke one --data "$ROW" | tr -d ' \n' | sed 's/,"model":"[^"]*"//' >"$work/answer"
write_format_scripts "$work"

# The machine is shared, so load drifts within a run: nginx is measured again right
# before each format at the same connection count, and the ratios are to that
# measurement. Prints nginx's row, then the format's row with its ratios.
nginx_url="http://127.0.0.1:$NGINX_PORT/answer.json"
row() { printf '%-34s %5s %10s %9s %9s %7s %7s\n' "$@"; }
run_format() {
  local label=$1 url=$2 conns=$3 rps us
  shift 3
  measure_wrk "(a) nginx static answer" "$nginx_url" "$conns"
  rps=$WRK_RPS
  us=$(latency_us "$WRK_P99")
  row "(a) nginx static answer" "$conns" "$WRK_RPS" "$WRK_P50" "$WRK_P99" "" ""
  measure_wrk "$label" "$url" "$conns" "$@"
  row "$label" "$conns" "$WRK_RPS" "$WRK_P50" "$WRK_P99" \
    "$(awk -v r="$WRK_RPS" -v n="$rps" 'BEGIN { printf "%.0f%%", 100 * r / n }')" \
    "$(awk -v p="$(latency_us "$WRK_P99")" -v n="$us" 'BEGIN { printf "%.2fx", p / n }')"
}

# --- (a) nginx and (b) grove, alternating -------------------------------------
mkdir -p "$work/www"
cp "$work/answer" "$work/www/answer.json"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg);" \
  "wrk -t1 -d$DURATION; answer $(wc -c <"$work/answer") bytes: $(cat "$work/answer")"
row server conns req/s p50 p99 /nginx p99/ng
start_nginx "$work/www" "$NGINX_PORT" application/json
nginx_pid=${pids[-1]}
server="http://127.0.0.1:$GROVE_PORT"
for threads in $GROVE_THREADS; do
  "$GROVE" server --listen "127.0.0.1:$GROVE_PORT" --auth off --io-threads "$threads" \
    >"$work/server.log" 2>&1 &
  pids+=($!)
  wait_port "$GROVE_PORT"
  io="$([[ $threads == 0 ]] && nproc || echo "$threads") io"
  for c in $CONNS; do
    for format in "${FORMATS[@]}"; do
      IFS='|' read -r name label route <<<"$format"
      run_format "(b) $io: $label" "$server$route" "$c" -s "$work/$name.lua"
    done
  done
  stop_last
done
kill "$nginx_pid"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
