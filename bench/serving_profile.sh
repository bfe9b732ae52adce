#!/usr/bin/env bash
# Instructions per invocation, by payload format (issue 14): `grove server
# --io-threads 1` under callgrind, answering bench/serving_formats.sh's formats
# one after another from `wrk -t1 -c1`. Counters are zeroed after a warm-up and
# dumped after each format, so a line is everything the server executed for
# that format (HTTP, routing, parsing, prediction, encoding; background threads
# included) divided by the requests wrk completed. Callgrind counts the same on
# a loaded machine, unlike wall time.
#
# Usage: bench/serving_profile.sh [build dir, default build]
#   DURATION=5s   wrk duration per format (under callgrind the server is ~50x slower)
#   KEEP=<folder> keep callgrind.out.<format> there, for callgrind_annotate
# Needs valgrind and wrk (scripts/setup.sh --bench installs them).
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD=${1:-build}
GROVE=$BUILD/grove
DURATION=${DURATION:-5s}
PORT=${GROVE_PORT:-18084}
[[ -x $GROVE ]] || { echo "$GROVE not found: build first" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "valgrind not found (scripts/setup.sh --bench)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk not found (scripts/setup.sh --bench)" >&2; exit 2; }
source bench/serving_formats.sh

work=$(mktemp -d)
server=
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

export GROVE_HOME=$work/home
"$GROVE" run examples/abalone.yaml -q -p ModelApprovalStatus=Approved
create_format_endpoints "$GROVE"
write_format_scripts "$work"

valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
  "$GROVE" server --listen "127.0.0.1:$PORT" --auth off --io-threads 1 >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 600); do
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  sleep 0.1
done

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'); $(git rev-parse --short HEAD); callgrind, wrk -t1 -c1 -d$DURATION per format"
printf '%-26s %9s %14s\n' format requests instructions/req
# The HTTP layer's floor for comparison: GET /ping, no body, a 15-byte JSON answer.
printf 'wrk.method = "GET"\n' >"$work/ping.lua"
for format in "${FORMATS[@]}" "ping|(floor) GET /ping|/ping"; do
  IFS='|' read -r name label route <<<"$format"
  url="http://127.0.0.1:$PORT$route"
  wrk -t1 -c1 -d1s -s "$work/$name.lua" "$url" >/dev/null  # Warm-up: loads the model.
  callgrind_control -z "$server" >/dev/null 2>&1
  out=$(wrk -t1 -c1 -d"$DURATION" -s "$work/$name.lua" "$url")
  if grep -q "Non-2xx" <<<"$out"; then echo "$out" >&2; echo "error: $label got non-2xx answers" >&2; exit 1; fi
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  callgrind_control -d "$name" "$server" >/dev/null 2>&1
  dump=$(ls -t "$work"/callgrind.out* | head -1)
  [[ -n ${KEEP:-} ]] && mkdir -p "$KEEP" && cp "$dump" "$KEEP/callgrind.out.$name"
  instructions=$(awk '/^(summary|totals):/ {print $2; exit}' "$dump")
  awk -v l="$label" -v n="$requests" -v i="$instructions" 'BEGIN { printf "%-26s %9d %14.0f\n", l, n, i / n }'
done
